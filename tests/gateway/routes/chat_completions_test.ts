import assert from "node:assert/strict";
import { appOverSite, assertStreamHeaders } from "../../support/app_over_site.ts";
import { ANSWER, assertError, sseData } from "../../contract/http_client.ts";

const asking = (extra: Record<string, unknown> = {}) => ({
  messages: [{ role: "user", content: "Hi" }],
  ...extra,
});
const chatIdSent = (gw: { site: { submits: { body: unknown }[] } }) =>
  (gw.site.submits.at(-1)!.body as Record<string, unknown>).chatId;

Deno.test("without stream the answer is one chat.completion naming the model asked", async () => {
  await using gw = await appOverSite();
  const response = await gw.post("/v1/chat/completions", asking({ model: "gpt-3.5-turbo" }));
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const completion = await response.json();
  assert.equal(completion.object, "chat.completion");
  assert.equal(completion.model, "gpt-3.5-turbo");
  assert.equal(completion.choices[0].message.content, ANSWER);
});

Deno.test("streamed, the answer is chat.completion.chunk events with the headers of a stream, then [DONE]", async () => {
  await using gw = await appOverSite();
  const response = await gw.post("/v1/chat/completions", asking({ stream: true }));
  assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
  assertStreamHeaders(response);
  const data = sseData(await response.text());
  assert.equal(data.at(-1), "[DONE]");
  const chunks = data.slice(0, -1).map((line) => JSON.parse(line));
  assert.ok(chunks.every((chunk) => chunk.object === "chat.completion.chunk"));
  assert.equal(new Set(chunks.map((chunk) => chunk.id)).size, 1, "one id for the whole answer");
  assert.equal(chunks[0].model, "default", "without a model, the bot's name");
  assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join(""), ANSWER);
});

Deno.test("an X-Chat-Id header is the conversation's chatId; one in the body wins", async () => {
  await using gw = await appOverSite();
  await (await gw.post("/v1/chat/completions", asking(), { "x-chat-id": "from-header" })).text();
  assert.equal(chatIdSent(gw), "from-header");
  const body = asking({ metadata: { chatId: "from-body" } });
  await (await gw.post("/v1/chat/completions", body, { "x-chat-id": "from-header" })).text();
  assert.equal(chatIdSent(gw), "from-body");
});

Deno.test("an X-Chat-Id that cannot be a chatId is 400 naming the header, and the site is not asked", async () => {
  await using gw = await appOverSite();
  const response = await gw.post("/v1/chat/completions", asking(), { "x-chat-id": "a b" });
  const error = await assertError(response, 400, "invalid_request");
  assert.equal(error.param, "X-Chat-Id");
  assert.equal(gw.site.requests.length, 0);
});
