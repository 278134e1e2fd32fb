import assert from "node:assert/strict";
import { STREAM_HEADERS } from "../../../lib/gateway/encoders/stream_headers.ts";

Deno.test("a streamed answer is never cached nor transformed on its way", () => {
  const directives = STREAM_HEADERS["cache-control"].split(",").map((d) => d.trim());
  assert.ok(directives.includes("no-cache"));
  // Deno's automatic compression and Deno Deploy leave a no-transform response alone.
  assert.ok(directives.includes("no-transform"));
});

Deno.test("its encoding is identity, which Cloudflare does not gzip whatever the type", () => {
  assert.equal(STREAM_HEADERS["content-encoding"], "identity");
});

Deno.test("nginx is told not to buffer it, and browsers not to sniff its type", () => {
  assert.equal(STREAM_HEADERS["x-accel-buffering"], "no");
  assert.equal(STREAM_HEADERS["x-content-type-options"], "nosniff");
});

Deno.test("the headers are lower case, so spreading them over a content type never doubles a name", () => {
  const headers = { "content-type": "text/plain; charset=utf-8", ...STREAM_HEADERS };
  assert.equal(new Headers(headers).get("content-type"), "text/plain; charset=utf-8");
  for (const name of Object.keys(STREAM_HEADERS)) assert.equal(name, name.toLowerCase());
});
