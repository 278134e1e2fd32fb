import assert from "node:assert/strict";
import { deriveChatId } from "../../lib/ai_engine/chat_id.ts";
import { appOverSite } from "../support/app_over_site.ts";
import { until } from "../support/until.ts";

const hi = [{ role: "user" as const, content: "Hi" }];

Deno.test("a model name reaches its bot: a bot id as botId, a shortcode bot by customId and contextId", async () => {
  await using gw = await appOverSite({
    AI_ENGINE_BOTS: "default,help=sales,support=custom:abc123@42",
  }, { customBots: { abc123: "Custom!" } });
  const asked = async (model: string) => {
    await (await gw.post("/api/chat", { message: "Hi", model })).text();
    const body = gw.site.submits.at(-1)!.body as Record<string, unknown>;
    return [body.botId, body.customId, body.contextId];
  };
  assert.deepEqual(await asked("help"), ["sales", null, undefined]);
  assert.deepEqual(await asked("support"), [null, "abc123", 42]);
});

Deno.test("the client's chatId is sent as it is", async () => {
  await using gw = await appOverSite();
  await (await gw.post("/api/chat", { message: "Hi", chatId: "mine-1" })).text();
  assert.equal((gw.site.submits[0]!.body as Record<string, unknown>).chatId, "mine-1");
});

Deno.test("without SESSION_SECRET an anonymous client's chatId comes of the model and the opening only", async () => {
  await using gw = await appOverSite({ AI_ENGINE_BOTS: "default,support=custom:abc123" });
  await (await gw.post("/api/chat", { message: "Hi", model: "support" })).text();
  const { chatId } = gw.site.submits[0]!.body as Record<string, unknown>;
  assert.equal(chatId, await deriveChatId("support", hi));
});

Deno.test("without SESSION_SECRET each key derives chatIds of its own", async () => {
  await using gw = await appOverSite({ API_KEYS: "k1,k2" });
  const chatIdFor = async (key: string) => {
    await (await gw.post("/api/chat", { message: "Hi" }, { authorization: `Bearer ${key}` }))
      .text();
    return (gw.site.submits.at(-1)!.body as Record<string, unknown>).chatId;
  };
  const [one, two, oneAgain] = [
    await chatIdFor("k1"),
    await chatIdFor("k2"),
    await chatIdFor("k1"),
  ];
  assert.notEqual(one, two);
  assert.equal(one, oneAgain);
  assert.notEqual(one, await deriveChatId("default", hi));
});

Deno.test("with SESSION_SECRET the chatId comes of the client's session id on the site", async () => {
  await using gw = await appOverSite({ SESSION_SECRET: "0123456789abcdef" });
  await (await gw.post("/api/chat", { message: "Hi" })).text();
  const { chatId, session } = gw.site.submits[0]!.body as Record<string, string>;
  assert.match(session!, /^[A-Za-z0-9_-]{8,56}$/);
  assert.equal(chatId, await deriveChatId("default", hi, session));
});

Deno.test("a client that leaves before the answer begins aborts the request to the site", async () => {
  await using gw = await appOverSite({}, { headersDelayMs: 10_000 });
  const controller = new AbortController();
  const response = gw.app.request("/api/chat", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message: "Hi" }),
    signal: controller.signal,
  });
  await until(() => gw.site.submits.length === 1, "the site holds the question");
  controller.abort();
  await gw.site.waitForAborts(1);
  await (await response).body?.cancel();
});
