import assert from "node:assert/strict";
import { parseBotEntries } from "../../lib/gateway/bot_entry.ts";
import { ConfigError } from "../../lib/variables.ts";

Deno.test("plain bot ids stay what they were: the name is the bot id", () => {
  assert.deepEqual(parseBotEntries("default, team/support"), [
    { name: "default", botId: "default", customId: null, contextId: null },
    { name: "team/support", botId: "team/support", customId: null, contextId: null },
  ]);
});

Deno.test("a name may stand for another bot id, a shortcode's customId, and a post id", () => {
  assert.deepEqual(
    parseBotEntries("help=default@42, support=custom:abc123, shop=custom:9f2e@7, faq@12"),
    [
      { name: "help", botId: "default", customId: null, contextId: 42 },
      { name: "support", botId: null, customId: "abc123", contextId: null },
      { name: "shop", botId: null, customId: "9f2e", contextId: 7 },
      { name: "faq", botId: "faq", customId: null, contextId: 12 },
    ],
  );
});

for (
  const value of [
    " , ",
    "a,a",
    "=default",
    "help=",
    "help=custom:",
    "custom:abc",
    "help=default@",
    "help=default@0",
    "help=default@4.2",
    "help=default@x",
    "help=a=b",
    "bad name=default",
  ]
) {
  Deno.test(`AI_ENGINE_BOTS ${JSON.stringify(value)} fails with a message naming it`, () => {
    assert.throws(() => parseBotEntries(value), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.variable, "AI_ENGINE_BOTS");
      return true;
    });
  });
}
