import assert from "node:assert/strict";
import { botForModel, DEFAULT_BOT_ALIAS } from "../../../lib/gateway/request/bot_for_model.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";

const BOTS = ["support", "sales"];

Deno.test("botForModel serves a configured bot id as itself", () => {
  assert.equal(botForModel(BOTS, "support"), "support");
  assert.equal(botForModel(BOTS, "sales"), "sales");
});

Deno.test("botForModel takes no model, or the gpt-3.5-turbo alias, as the first configured bot", () => {
  assert.equal(DEFAULT_BOT_ALIAS, "gpt-3.5-turbo");
  assert.equal(botForModel(BOTS, null), "support");
  assert.equal(botForModel(BOTS, "gpt-3.5-turbo"), "support");
  assert.equal(botForModel(["sales", "support"], "gpt-3.5-turbo"), "sales");
});

Deno.test("botForModel falls back to AI Engine's default bot when none is configured", () => {
  assert.equal(botForModel([], null), "default");
  assert.equal(botForModel([], DEFAULT_BOT_ALIAS), "default");
});

Deno.test("botForModel refuses an unknown model with a 404 model_not_found naming the model param", () => {
  for (const model of ["gpt-4o", "Support", " support", "", "default"]) {
    assert.throws(() => botForModel(BOTS, model), (error) => {
      assert.ok(error instanceof HttpError, String(error));
      assert.deepEqual(
        [error.status, error.type, error.code, error.param],
        [404, "invalid_request_error", "model_not_found", "model"],
      );
      assert.equal(error.message, `The model ${model} does not exist; see GET /v1/models`);
      return true;
    }, JSON.stringify(model));
  }
});

Deno.test("botForModel quotes at most 100 characters of an unknown model", () => {
  assert.throws(() => botForModel(BOTS, "x".repeat(5000)), (error) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.message, `The model ${"x".repeat(100)} does not exist; see GET /v1/models`);
    return true;
  });
});
