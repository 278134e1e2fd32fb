import assert from "node:assert/strict";
import { visitorHeaders } from "../../../lib/ai_engine/session/visitor_headers.ts";

Deno.test("visitorHeaders: the nonce and the session cookie, each only when there is one", () => {
  assert.deepEqual(visitorHeaders("n1"), { "x-wp-nonce": "n1" });
  assert.deepEqual(visitorHeaders(null, "edge-0123abcd"), {
    cookie: "mwai_session_id=edge-0123abcd",
  });
  assert.deepEqual(visitorHeaders(null), {});
});

Deno.test("visitorHeaders: a session id that could break the cookie throws before any request", () => {
  assert.throws(() => visitorHeaders("n1", "a; wordpress_logged_in=admin"), TypeError);
});
