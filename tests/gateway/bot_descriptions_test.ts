import assert from "node:assert/strict";
import { MAX_DESCRIPTION_CHARS, parseBotDescriptions } from "../../lib/gateway/bot_descriptions.ts";
import { ConfigError } from "../../lib/variables.ts";

const BOTS = ["default", "team/help"];

Deno.test("descriptions are read by bot name, trimmed, and may hold commas", () => {
  assert.deepEqual(
    parseBotDescriptions('{"team/help": "  Orders, returns, shipping "}', BOTS),
    { "team/help": "Orders, returns, shipping" },
  );
});

Deno.test("unset or blank descriptions are none", () => {
  assert.deepEqual(parseBotDescriptions(undefined, BOTS), {});
  assert.deepEqual(parseBotDescriptions("  ", BOTS), {});
});

Deno.test("a bad value names AI_ENGINE_BOT_DESCRIPTIONS and says what is wrong", () => {
  const cases: [string, RegExp][] = [
    ["default=Help", /is not JSON/],
    ['["Help"]', /is not a JSON object/],
    ['{"sales": "Prices"}', /"sales", which is not a bot of AI_ENGINE_BOTS/],
    ['{"default": 7}', /gives "default" no text/],
    ['{"default": " "}', /gives "default" no text/],
    [
      JSON.stringify({ default: "x".repeat(MAX_DESCRIPTION_CHARS + 1) }),
      /more than 1000 characters/,
    ],
  ];
  for (const [value, message] of cases) {
    assert.throws(
      () => parseBotDescriptions(value, BOTS),
      (error) =>
        error instanceof ConfigError && error.variable === "AI_ENGINE_BOT_DESCRIPTIONS" &&
        message.test(error.message),
      value,
    );
  }
});
