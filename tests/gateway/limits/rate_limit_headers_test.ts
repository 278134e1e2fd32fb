import assert from "node:assert/strict";
import { rateLimitHeaders } from "../../../lib/gateway/limits/rate_limit_headers.ts";

Deno.test("no limits, no headers", () => {
  assert.deepEqual(rateLimitHeaders([]), {});
});

Deno.test("one limit is one item of RateLimit-Policy (q, w, qu) and one of RateLimit (r, t)", () => {
  const headers = rateLimitHeaders([
    {
      name: "minute",
      quota: 30,
      windowSeconds: 60,
      unit: "requests",
      remaining: 0,
      resetSeconds: 1,
    },
  ]);
  assert.deepEqual(headers, {
    "ratelimit-policy": '"minute";q=30;w=60;qu="requests"',
    ratelimit: '"minute";r=0;t=1',
  });
});

Deno.test("several limits are lists in the order given; a limit without window or unit leaves them out", () => {
  const headers = rateLimitHeaders([
    {
      name: "minute",
      quota: 30,
      windowSeconds: 60,
      unit: "requests",
      remaining: 12,
      resetSeconds: 40,
    },
    { name: "concurrent", quota: 4, unit: "concurrent-requests", remaining: 3, resetSeconds: 1 },
    { name: "day", quota: 100_000, windowSeconds: 86_400, remaining: 99_000, resetSeconds: 3_600 },
  ]);
  assert.equal(
    headers["ratelimit-policy"],
    '"minute";q=30;w=60;qu="requests", "concurrent";q=4;qu="concurrent-requests", ' +
      '"day";q=100000;w=86400',
  );
  assert.equal(headers.ratelimit, '"minute";r=12;t=40, "concurrent";r=3;t=1, "day";r=99000;t=3600');
});
