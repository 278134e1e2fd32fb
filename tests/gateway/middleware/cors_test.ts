import assert from "node:assert/strict";
import { HttpError } from "../../../lib/gateway/http_error.ts";
import { corsHeaders } from "../../../lib/gateway/middleware/cors.ts";

const OWN = "https://gw.example";
const refused = (error: unknown) =>
  error instanceof HttpError && error.status === 403 && error.code === "origin_not_allowed";

Deno.test("the own origin needs no CORS: the same scheme, host and port, nothing else", () => {
  assert.equal(corsHeaders(null, OWN, []), null);
  assert.equal(corsHeaders(OWN, OWN, []), null);
  assert.equal(corsHeaders("http://localhost:8000", "http://localhost:8000", []), null);
  for (
    const origin of [
      "http://gw.example",
      "https://gw.example:8443",
      "https://gw.example:443",
      "https://user@gw.example",
      "https://user:pw@gw.example",
      "https://gw.example/",
      "https://gw.example/path",
      "https://GW.example",
      "https://evil.example",
      "not an origin",
      "null",
    ]
  ) {
    assert.throws(() => corsHeaders(origin, OWN, []), refused, origin);
  }
});

Deno.test("an Origin with a user name is refused even when ALLOWED_ORIGINS is *", () => {
  assert.throws(() => corsHeaders("https://user@a.example", OWN, "*"), refused);
  assert.deepEqual(corsHeaders("https://a.example", OWN, "*"), {
    "access-control-allow-origin": "*",
    vary: "Origin",
  });
});

Deno.test("an allowed origin gets its own name back, and Vary", () => {
  assert.deepEqual(corsHeaders("https://a.example", OWN, ["https://a.example"]), {
    "access-control-allow-origin": "https://a.example",
    vary: "Origin",
  });
});
