/**
 * Bots defined only in a shortcode: an `AI_ENGINE_BOTS` entry names their `customId`
 * (and the post that hosts them, `contextId`), and the site answers as that bot.
 */
import assert from "node:assert/strict";
import { startGateway } from "./gateway.ts";
import { ANSWER, post } from "./http_client.ts";

const SUPPORT = "Support here: how can I help?";

Deno.test("shortcode bots by customId and contextId", async (t) => {
  await using gw = await startGateway({
    AI_ENGINE_BOTS: "default, support=custom:abc123@42, help=default@7, gone=custom:expired",
  }, { customBots: { abc123: SUPPORT } });
  const submitted = () => gw.site.submits.at(-1)!.body as Record<string, unknown>;
  const ask = async (model: string) => {
    const response = await post(gw.base, "/v1/chat/completions", {
      model,
      messages: [{ role: "user", content: "Hello" }],
    });
    assert.equal(response.status, 200, await response.clone().text());
    const completion = await response.json();
    assert.equal(completion.model, model);
    return completion.choices[0].message.content;
  };

  await t.step("/v1/models lists the entries' names", async () => {
    const models = await (await fetch(`${gw.base}/v1/models`)).json();
    assert.deepEqual(models.data.map((m: { id: string }) => m.id), [
      "default",
      "support",
      "help",
      "gone",
    ]);
  });

  await t.step("a customId bot is reached by its customId and contextId", async () => {
    assert.equal(await ask("support"), SUPPORT);
    const body = submitted();
    assert.deepEqual([body.botId, body.customId, body.contextId], [null, "abc123", 42]);
  });

  await t.step("a bot id entry sends its botId, customId null, and its contextId", async () => {
    assert.equal(await ask("help"), ANSWER);
    const body = submitted();
    assert.deepEqual([body.botId, body.customId, body.contextId], ["default", null, 7]);
  });

  await t.step("a plain entry sends no contextId at all", async () => {
    assert.equal(await ask("default"), ANSWER);
    assert.ok(!("contextId" in submitted()));
    assert.equal(submitted().customId, null);
  });

  await t.step(
    "an unknown customId falls back to the default bot, as AI Engine 3.x does",
    async () => {
      assert.equal(await ask("gone"), ANSWER);
      assert.equal(submitted().customId, "expired");
    },
  );
});
