import assert from "node:assert/strict";
import { UI_MESSAGE_STREAM_HEADERS } from "../../../lib/gateway/encoders/ui_message_stream.ts";
import { appOverSite, assertStreamHeaders } from "../../support/app_over_site.ts";
import { ANSWER, assertError, sseData } from "../../contract/http_client.ts";

/** What `useChat`'s default transport sends for one new message. */
const turn = (id?: string) => ({
  ...(id === undefined ? {} : { id }),
  messages: [{ id: "m1", role: "user", parts: [{ type: "text", text: "Hi" }] }],
  trigger: "submit-message",
});

/** The parts of a UI message stream body, `[DONE]` left out. */
async function partsOf(response: Response): Promise<Record<string, unknown>[]> {
  return sseData(await response.text()).filter((data) => data !== "[DONE]").map((data) =>
    JSON.parse(data)
  );
}

Deno.test("the answer is a UI message stream: start, one text part, finish, with its headers", async () => {
  await using gw = await appOverSite();
  const response = await gw.post("/api/ui-chat", turn("chat-1"));
  assert.equal(response.status, 200);
  for (const [name, value] of Object.entries(UI_MESSAGE_STREAM_HEADERS)) {
    assert.equal(response.headers.get(name), value, name);
  }
  assertStreamHeaders(response);
  const parts = await partsOf(response);
  const types = parts.map((part) => part.type);
  assert.deepEqual(
    [types.slice(0, 2), types.slice(-2)],
    [["start", "text-start"], ["text-end", "finish"]],
  );
  const deltas = parts.filter((part) => part.type === "text-delta");
  assert.equal(deltas.map((part) => part.delta).join(""), ANSWER);
  assert.equal(deltas.length, types.length - 4);
});

Deno.test("each answer is a message of its own id", async () => {
  await using gw = await appOverSite();
  const ids = [];
  for (let i = 0; i < 2; i++) {
    const [start] = await partsOf(await gw.post("/api/ui-chat", turn("chat-1")));
    assert.match(String(start!.messageId), /^msg-[0-9a-f]{32}$/);
    ids.push(start!.messageId);
  }
  assert.notEqual(ids[0], ids[1]);
});

Deno.test("the chat's id is the conversation's chatId", async () => {
  await using gw = await appOverSite();
  await (await gw.post("/api/ui-chat", turn("chat-1"))).text();
  assert.equal((gw.site.submits[0]!.body as Record<string, unknown>).chatId, "chat-1");
});

Deno.test("a chat id that cannot be a chatId is 400 naming id, and the site is not asked", async () => {
  await using gw = await appOverSite();
  const error = await assertError(
    await gw.post("/api/ui-chat", turn("a b")),
    400,
    "invalid_request",
  );
  assert.equal(error.param, "id");
  assert.equal(gw.site.requests.length, 0);
});
