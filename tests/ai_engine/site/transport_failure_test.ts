import assert from "node:assert/strict";
import {
  describeTransportFailure,
  isTimeout,
} from "../../../lib/ai_engine/site/transport_failure.ts";

Deno.test("describeTransportFailure says what failed in words of its own, never the runtime's message", async () => {
  const cases: [unknown, string][] = [
    [new TypeError('Invalid header value: "s3cret\r\n"'), "a request header was refused"],
    [
      new TypeError("fetch failed", {
        cause: new Error(
          "error sending request for url (http://u:s3cret@x.invalid/): client error (Connect): " +
            "dns error: failed to lookup address information: Name or service not known",
        ),
      }),
      "the site's name did not resolve",
    ],
    [
      Object.assign(new Error("Connection refused (os error 111) s3cret"), {
        name: "ConnectionRefused",
      }),
      "the site refused the connection",
    ],
    [new Error("invalid peer certificate: UnknownIssuer s3cret"), "TLS with the site failed"],
    [new Error("connection reset by peer s3cret"), "the connection was reset or closed"],
    [new DOMException("Signal timed out. s3cret", "TimeoutError"), "the connection timed out"],
    [
      new SyntaxError("Invalid chunked body: bad chunk size"),
      "the site's answer was not valid HTTP",
    ],
    [new Error("s3cret"), "a network error"],
    ["s3cret", "a network error"],
  ];
  for (const [error, words] of cases) assert.equal(describeTransportFailure(error), words);
  // A real runtime error, with the header value in its message.
  const fetched = await fetch("http://127.0.0.1:9/", { headers: { "x-wp-nonce": "s3cret\r\nx" } })
    .catch((error) => error);
  assert.ok(!describeTransportFailure(fetched).includes("s3cret"));
});

Deno.test("isTimeout knows a signal's timeout and a transport's connect timeout, nothing else", () => {
  assert.ok(isTimeout(new DOMException("Signal timed out.", "TimeoutError")));
  assert.ok(isTimeout(Object.assign(new Error("connect"), { name: "ConnectTimeout" })));
  assert.ok(!isTimeout(new DOMException("The signal has been aborted", "AbortError")));
  assert.ok(!isTimeout(new TypeError("fetch failed")));
  assert.ok(!isTimeout("TimeoutError"));
});
