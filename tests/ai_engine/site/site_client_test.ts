import assert from "node:assert/strict";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import { type SiteCall, SiteClient, USER_AGENT } from "../../../lib/ai_engine/site/site_client.ts";
import { splitCredentials } from "../../../lib/ai_engine/site/site_credentials.ts";
import type {
  UpstreamClient,
  UpstreamRequest,
  UpstreamResponse,
} from "../../../lib/http/upstream_client.ts";
import { bytesOf } from "../../../lib/streams/byte_source.ts";
import { spied, utf8 } from "../../support/byte_sources.ts";
import { VERSION } from "../../../lib/version.ts";

const SITE = "https://staging.example";

/** A call with a limit and words of its own; `more` overrides any of it. */
function call(more: Partial<SiteCall> = {}): SiteCall {
  return {
    method: "POST",
    headers: { accept: "application/json" },
    body: "{}",
    headersTimeoutMs: 1000,
    timedOut: () => new AiEngineError("timeout", "No headers in time"),
    what: "AI Engine",
    failed: "Could not reach AI Engine",
    ...more,
  };
}

/** A transport that records each request and answers `status`. */
function recording(status = 200, headers: Record<string, string> = {}) {
  const seen: { url: string; request: UpstreamRequest }[] = [];
  const client: UpstreamClient = (url, request) => {
    seen.push({ url, request });
    return Promise.resolve({ status, headers: new Headers(headers), body: bytesOf([]) });
  };
  return { client, seen };
}

/** A transport that never answers: it rejects only when the request's signal aborts. */
const silent: UpstreamClient = (_url, request) =>
  new Promise((_resolve, reject) => {
    request.signal?.addEventListener("abort", () => reject(request.signal!.reason));
  });

Deno.test("every call says it is mwai-edge of this version, whatever the caller's headers", async () => {
  const { client, seen } = recording();
  const site = new SiteClient({ client });
  await site.call(`${SITE}/wp-json/x`, call({ headers: { "user-agent": "curl/8" } }));
  await site.call(`${SITE}/`, call({ method: "GET", body: undefined }));
  assert.equal(USER_AGENT, `mwai-edge/${VERSION}`);
  for (const { request } of seen) assert.equal(request.headers["user-agent"], USER_AGENT);
  assert.ok(!("body" in seen[1]!.request), "a GET carries no body");
});

Deno.test("basic auth goes to the site's own origin only, never to another host", async () => {
  const { client, seen } = recording();
  const { credentials } = splitCredentials("https://ann:s3cret@staging.example");
  const site = new SiteClient({ client, credentials });
  await site.call(`${SITE}/wp-json/mwai/v1/start_session`, call());
  await site.call("https://pages.example/chatbot/", call({ method: "GET" }));
  await site.call("http://staging.example/", call({ method: "GET" }));
  assert.equal(seen[0]!.request.headers.authorization, `Basic ${btoa("ann:s3cret")}`);
  assert.ok(!("authorization" in seen[1]!.request.headers), "another host got the credentials");
  assert.ok(!("authorization" in seen[2]!.request.headers), "another scheme is another origin");
});

Deno.test("the connect limit is handed to the transport with every call", async () => {
  const { client, seen } = recording();
  await new SiteClient({ client, connectTimeoutMs: 1234 }).call(SITE, call());
  assert.equal(seen[0]!.request.connectTimeoutMs, 1234);
  await new SiteClient({ client }).call(SITE, call());
  assert.ok(!("connectTimeoutMs" in seen[1]!.request));
});

for (const status of [301, 302, 303, 307, 308]) {
  Deno.test(`a ${status} is refused: upstream_failed naming its status, its body cancelled unread, its origin told`, async () => {
    const { source, record } = spied(bytesOf([utf8("data: nothing\n\n")]));
    const answer: UpstreamResponse = {
      status,
      headers: new Headers({ location: "https://user:pw@elsewhere.example/wp-json/?t=1" }),
      body: source,
    };
    const told: [number, string | undefined][] = [];
    const site = new SiteClient({ client: () => Promise.resolve(answer) });
    const error = await site.call(SITE, call({ onRedirect: (...args) => told.push(args) }))
      .then(() => null, (error: unknown) => error);
    assert.ok(error instanceof AiEngineError, String(error));
    assert.equal(error.type, "upstream_failed");
    assert.equal(
      error.message,
      `AI Engine answered ${status}, a redirect, which is not followed: check AI_ENGINE_URL`,
    );
    assert.equal(error.upstreamStatus, status);
    assert.equal(error.retryable, false);
    assert.equal(record.cancels, 1);
    assert.equal(record.reads, 0, "a redirect's body is never read");
    assert.deepEqual(told, [[status, "https://elsewhere.example"]]);
  });
}

Deno.test("a redirect names the setting the call gives, and a Location that is no URL is no origin", async () => {
  const told: (string | undefined)[] = [];
  const site = new SiteClient({ client: recording(302, { location: "http://[" }).client });
  await assert.rejects(
    site.call(SITE, call({ check: "AI_ENGINE_NONCE_PAGE", onRedirect: (_, o) => told.push(o) })),
    /check AI_ENGINE_NONCE_PAGE$/,
  );
  assert.deepEqual(told, [undefined]);
});

Deno.test("no headers within the limit is the call's own time-out error, at its time", async () => {
  const started = performance.now();
  await assert.rejects(
    new SiteClient({ client: silent }).call(SITE, call({ headersTimeoutMs: 50 })),
    { name: "AiEngineError", type: "timeout", message: "No headers in time" },
  );
  assert.ok(performance.now() - started >= 45, "gave up before its time limit");
});

Deno.test("a transport's own time-out (connecting) is a timeout, in words of our own", async () => {
  const connect = Object.assign(new Error("connect to 10.0.0.1:443 s3cret"), {
    name: "ConnectTimeout",
  });
  await assert.rejects(
    new SiteClient({ client: () => Promise.reject(connect) }).call(SITE, call()),
    {
      name: "AiEngineError",
      type: "timeout",
      message: "Could not reach AI Engine: the connection timed out",
    },
  );
});

Deno.test("a transport failure is unreachable, said without the runtime's message", async () => {
  const cause = new TypeError(
    "error sending request for url (https://ann:s3cret@staging.example/): Connection refused",
  );
  await assert.rejects(
    new SiteClient({ client: () => Promise.reject(cause) }).call(SITE, call()),
    (error) => {
      assert.ok(error instanceof AiEngineError);
      assert.equal(error.type, "unreachable");
      assert.equal(error.message, "Could not reach AI Engine: the site refused the connection");
      assert.equal(error.cause, cause);
      return true;
    },
  );
});

Deno.test("the caller's abort stays the caller's, and reaches the transport", async () => {
  const controller = new AbortController();
  const reason = new Error("the client left");
  const pending = new SiteClient({ client: silent }).call(
    SITE,
    call({ signal: controller.signal }),
  );
  controller.abort(reason);
  await assert.rejects(pending, (error) => error === reason);
});

Deno.test("an answer in an encoding the runtime cannot decode is upstream_failed naming it", async () => {
  const failing = (error: Error) => new SiteClient({ client: () => Promise.reject(error) });
  const named = Object.assign(new Error("Unsupported: zstd"), {
    name: "UnsupportedContentEncoding",
    encoding: "zstd",
  });
  await assert.rejects(failing(named).call(SITE, call()), {
    name: "AiEngineError",
    type: "upstream_failed",
    message: "AI Engine answered in a Content-Encoding this runtime cannot decode (zstd)",
  });
  const odd = Object.assign(new Error("?"), {
    name: "UnsupportedContentEncoding",
    encoding: "x\r\nSet-Cookie: a=b",
  });
  await assert.rejects(failing(odd).call(SITE, call()), {
    message: "AI Engine answered in a Content-Encoding this runtime cannot decode",
  });
});

Deno.test("an AiEngineError from the transport stays what it is", async () => {
  const own = new AiEngineError("too_large", "Upstream answer too large: its head");
  await assert.rejects(
    new SiteClient({ client: () => Promise.reject(own) }).call(SITE, call()),
    (error) => error === own,
  );
});
