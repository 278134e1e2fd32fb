/**
 * One `chatId` per conversation (AI Engine keys its Discussions, `previousResponseId` and
 * assistants' files by it): the client's where it gives one, else derived so that the
 * conversation's next turn carries the same id.
 */
import assert from "node:assert/strict";
import { startGateway } from "./gateway.ts";
import { assertError, post } from "./http_client.ts";

const FIRST = [{ role: "user", content: "Hello" }];
const NEXT = [...FIRST, { role: "assistant", content: "Hi!" }, { role: "user", content: "More" }];
const lastChatId = (site: { submits: { body: unknown }[] }) =>
  (site.submits.at(-1)!.body as { chatId: string }).chatId;

Deno.test("chatId", async (t) => {
  await using gw = await startGateway({ API_KEYS: "key-a,key-b" });
  const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
  const ask = async (path: string, body: unknown, init = as("key-a")) => {
    const response = await post(gw.base, path, body, init);
    assert.equal(response.status, 200, await response.clone().text());
    await response.body!.cancel();
    return lastChatId(gw.site);
  };

  await t.step(
    "a chatId the client sends reaches the site, on /api/chat and /api/webhook",
    async () => {
      assert.equal(await ask("/api/chat", { chatId: "conv-1", messages: FIRST }), "conv-1");
      assert.equal(await ask("/api/webhook", { chatId: "conv-2", message: "Hi" }), "conv-2");
    },
  );

  await t.step("/api/ui-chat takes the AI SDK's chat id", async () => {
    const body = {
      id: "sdkChat42",
      messages: [{ role: "user", parts: [{ type: "text", text: "Hi" }] }],
    };
    assert.equal(await ask("/api/ui-chat", body), "sdkChat42");
  });

  await t.step("/v1 takes metadata.chatId, or the X-Chat-Id header", async () => {
    const body = { model: "default", messages: FIRST };
    assert.equal(
      await ask("/v1/chat/completions", { ...body, metadata: { chatId: "m-1" } }),
      "m-1",
    );
    const headers = { ...as("key-a").headers, "x-chat-id": "h-1" };
    assert.equal(await ask("/v1/chat/completions", body, { headers }), "h-1");
  });

  await t.step(
    "without one, the next turn of a conversation gets the same derived id",
    async () => {
      const first = await ask("/api/chat", { messages: FIRST });
      const next = await ask("/api/chat", { messages: NEXT });
      assert.equal(first, next);
      assert.match(first, /^gw-[0-9a-f]{24}$/);
      const other = await ask("/api/chat", { messages: [{ role: "user", content: "Other" }] });
      assert.notEqual(other, first);
    },
  );

  await t.step("two keys never share a derived id, even for the same words", async () => {
    const a = await ask("/api/chat", { messages: FIRST }, as("key-a"));
    const b = await ask("/api/chat", { messages: FIRST }, as("key-b"));
    assert.notEqual(a, b);
  });

  await t.step("a chatId that is not a short safe token is 400", async () => {
    for (const chatId of ["a b", "x".repeat(65), "", 7, "é"]) {
      await assertError(
        await post(gw.base, "/api/chat", { chatId, message: "Hi" }, as("key-a")),
        400,
        "invalid_request",
      );
    }
    const headers = { ...as("key-a").headers, "x-chat-id": "no/slash" };
    const error = await assertError(
      await post(gw.base, "/v1/chat/completions", { messages: FIRST }, { headers }),
      400,
      "invalid_request",
    );
    assert.equal(error.param, "X-Chat-Id");
  });
});
