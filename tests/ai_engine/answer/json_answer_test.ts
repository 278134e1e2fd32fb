import assert from "node:assert/strict";
import { AiEngineError, retryAfterSeconds } from "../../../lib/ai_engine/ai_engine_error.ts";
import { answerFromJson, NONCE_REFUSED } from "../../../lib/ai_engine/answer/json_answer.ts";

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

Deno.test("a failure carries the site's Retry-After in seconds", () => {
  const failure = (json: unknown, status: number) => {
    try {
      answerFromJson(json, status, 12);
    } catch (error) {
      return error as AiEngineError;
    }
    throw new Error("No failure");
  };
  assert.equal(failure({ code: "too_many_requests" }, 429).type, "rate_limited");
  for (const json of [{ code: "too_many_requests" }, { error: "slow down" }]) {
    assert.equal(failure(json, 429).retryAfter, 12);
  }
  assert.equal(failure({ success: false, message: "FakeLLM: boom" }, 503).retryAfter, 12);
});

Deno.test("Retry-After is read as seconds or an HTTP-date, and nothing else passes", () => {
  const now = Date.parse("2026-12-01T10:00:00Z");
  assert.equal(retryAfterSeconds("0", now), 0);
  assert.equal(retryAfterSeconds(" 120 ", now), 120);
  assert.equal(retryAfterSeconds("Tue, 01 Dec 2026 10:00:45 GMT", now), 45);
  assert.equal(retryAfterSeconds("Tue, 01 Dec 2026 09:00:00 GMT", now), 0);
  for (const bad of [null, "", "-1", "1.5", "soon", "30\r\nx-evil: 1", "99999999", "1e3"]) {
    assert.equal(retryAfterSeconds(bad, now), null, String(bad));
  }
});
