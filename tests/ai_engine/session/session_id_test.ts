import assert from "node:assert/strict";
import {
  INVALID_SESSION_ID,
  isSessionId,
  sessionCookie,
} from "../../../lib/ai_engine/session/session_id.ts";

Deno.test("a session id is 8 to 56 letters, digits, _ or -", () => {
  for (const good of ["6745c0e1a2b3c", "edge-0123abcd", "x".repeat(56)]) {
    assert.ok(isSessionId(good), good);
  }
  for (const bad of ["short", "x".repeat(57), "a; wordpress_logged_in=admin", "a\r\nb", 12345678]) {
    assert.ok(!isSessionId(bad), String(bad));
  }
});

Deno.test("sessionCookie makes the mwai_session_id cookie, and refuses what could break it", () => {
  assert.equal(sessionCookie("edge-0123abcd"), "mwai_session_id=edge-0123abcd");
  assert.throws(() => sessionCookie("a; other=1"), {
    name: "TypeError",
    message: INVALID_SESSION_ID,
  });
});
