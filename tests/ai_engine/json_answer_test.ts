import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import { answerFromJson, NONCE_REFUSED } from "../../lib/ai_engine/json_answer.ts";

function typeOf(json: unknown, status: number): string {
  try {
    const parts = answerFromJson(json, status);
    return parts === NONCE_REFUSED ? "nonce_refused" : "answer";
  } catch (error) {
    return error instanceof AiEngineError ? error.type : String(error);
  }
}

Deno.test("the status settles what the words may not", () => {
  // A site whose plugin speaks French still rejects with 403 success:false.
  assert.equal(
    typeOf({ success: false, message: "Désolé, votre requête a été rejetée." }, 403),
    "rejected",
  );
  // A firewall's JSON 429 is a rate limit whatever it says.
  assert.equal(typeOf({ error: "slow down" }, 429), "rate_limited");
  assert.equal(
    typeOf({ success: false, message: "Sorry, your query has been rejected." }, 500),
    "rejected",
  );
  assert.equal(typeOf({ success: false, message: "FakeLLM: boom" }, 500), "upstream_failed");
});

Deno.test("the nonce errors ask for a retry; other WordPress errors fail", () => {
  assert.equal(typeOf({ code: "rest_forbidden" }, 401), "nonce_refused");
  assert.equal(typeOf({ code: "rest_cookie_invalid_nonce" }, 403), "nonce_refused");
  assert.equal(typeOf({ code: "rest_no_route" }, 404), "upstream_failed");
  assert.equal(typeOf({ success: true, reply: "Hi" }, 200), "answer");
  assert.equal(typeOf([1, 2], 200), "malformed");
});
