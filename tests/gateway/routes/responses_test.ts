import assert from "node:assert/strict";
import { appOverSite } from "../../support/app_over_site.ts";
import { ANSWER, assertError } from "../../contract/http_client.ts";

type Submitted = { chatId?: string; messages?: unknown[]; newMessage?: string; botId?: string };

Deno.test("a whole response is one response object, completed, with the answer's text", async () => {
  await using gw = await appOverSite({ AI_ENGINE_BOTS: "default,support" });
  const response = await gw.post("/v1/responses", { model: "support", input: "Hello" });
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.object, "response");
  assert.equal(body.status, "completed");
  assert.match(body.id, /^resp_/);
  assert.equal(body.output[0].content[0].text, ANSWER);
  assert.equal((gw.site.submits[0]!.body as Submitted).botId, "support");
});

Deno.test("a streamed response is events, ending with response.completed", async () => {
  await using gw = await appOverSite();
  const response = await gw.post("/v1/responses", { input: "Hello", stream: true });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /^text\/event-stream/);
  const events = (await response.text()).split("\n").filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)));
  assert.equal(events[0].type, "response.created");
  assert.equal(events.at(-1).type, "response.completed");
  assert.equal(events.at(-1).response.output[0].content[0].text, ANSWER);
});

Deno.test("previous_response_id sends the earlier turns again under the same chatId", async () => {
  await using gw = await appOverSite();
  const first = await (await gw.post("/v1/responses", { input: "My name is Ada" })).json();
  const chatId = (gw.site.submits[0]!.body as Submitted).chatId;
  const next = await gw.post("/v1/responses", {
    input: "Who am I?",
    previous_response_id: first.id,
  });
  assert.equal(next.status, 200);
  await next.text();
  const submitted = gw.site.submits[1]!.body as Submitted;
  assert.equal(submitted.chatId, chatId);
  assert.deepEqual(submitted.messages, [
    { role: "user", content: "My name is Ada" },
    { role: "assistant", content: ANSWER },
  ]);
  assert.equal(submitted.newMessage, "Who am I?");
});

Deno.test("an id the gateway did not give is 400 and the site is not asked", async () => {
  await using gw = await appOverSite();
  const response = await gw.post("/v1/responses", { input: "Hi", previous_response_id: "resp_x" });
  await assertError(response, 400, "previous_response_not_found");
  assert.equal(gw.site.submits.length, 0);
});

Deno.test("a stored response is a 404 saying to continue with previous_response_id", async () => {
  await using gw = await appOverSite();
  const response = await gw.app.request("/v1/responses/resp_abc");
  const error = await assertError(response, 404, "response_not_found");
  assert.match(JSON.stringify(error), /previous_response_id/);
});

Deno.test("an item_reference to another key's answer is not found, as its response id is", async () => {
  await using gw = await appOverSite({ API_KEYS: "key-a,key-b" });
  const asKey = (key: string) => ({ authorization: `Bearer ${key}` });
  const first = await (await gw.post("/v1/responses", { input: "Hi" }, asKey("key-a"))).json();
  const reference = { type: "item_reference", id: first.output[0].id };
  const input = [reference, { role: "user", content: "Say it again" }];
  const error = await assertError(
    await gw.post("/v1/responses", { input }, asKey("key-b")),
    400,
    "item_not_found",
  );
  assert.equal(error.param, "input[0].id");
  assert.equal(gw.site.submits.length, 1);
  const own = await gw.post("/v1/responses", { input }, asKey("key-a"));
  assert.equal(own.status, 200);
  await own.body?.cancel();
});
