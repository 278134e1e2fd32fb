import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import { AiEngineSession } from "../../lib/ai_engine/session.ts";

const REST = "http://site.invalid/wp-json";

/** A fetch that answers start_session with this body, counting its calls. */
function answering(body: () => ReadableStream<Uint8Array> | string, status = 200) {
  const calls: string[] = [];
  const fetcher: typeof fetch = (input) => {
    calls.push(String(input));
    return Promise.resolve(new Response(body(), { status }));
  };
  return { fetcher, calls };
}

const failing = () =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"success":true,"rest'));
      controller.error(new TypeError("error reading a body from connection"));
    },
  });

Deno.test("concurrent callers share one start_session, then its nonce is reused", async () => {
  const { fetcher, calls } = answering(() => '{"success":true,"sessionId":"s","restNonce":"n1"}');
  const session = new AiEngineSession({ restUrl: REST, fetch: fetcher });
  assert.deepEqual(await Promise.all([1, 2, 3].map(() => session.nonce())), ["n1", "n1", "n1"]);
  assert.equal(await session.nonce(), "n1");
  assert.deepEqual(calls, [`${REST}/mwai/v1/start_session`]);
});

Deno.test("a start_session body that breaks off is a typed error, and the next call tries again", async () => {
  let broken = true;
  const { fetcher, calls } = answering(() =>
    broken ? failing() : '{"success":true,"sessionId":"s","restNonce":"n2"}'
  );
  const session = new AiEngineSession({ restUrl: REST, fetch: fetcher });
  await assert.rejects(session.nonce(), (error) => {
    assert.ok(error instanceof AiEngineError);
    assert.equal(error.type, "unreachable");
    return true;
  });
  broken = false;
  assert.equal(await session.nonce(), "n2");
  assert.equal(calls.length, 2);
});

Deno.test("a start_session answer larger than any real one is refused as too_large", async () => {
  const { fetcher } = answering(() => `{"pad":"${"x".repeat(100_000)}"}`);
  const session = new AiEngineSession({ restUrl: REST, fetch: fetcher });
  await assert.rejects(
    session.nonce(),
    (error) => error instanceof AiEngineError && error.type === "too_large",
  );
});

Deno.test("a 404 start_session means a site without nonces, remembered", async () => {
  const { fetcher, calls } = answering(() => '{"code":"rest_no_route"}', 404);
  const session = new AiEngineSession({ restUrl: REST, fetch: fetcher });
  assert.equal(await session.nonce(), null);
  assert.equal(await session.nonce(), null);
  assert.equal(calls.length, 1);
});

Deno.test("a refused nonce is forgotten unless a fresher one replaced it", async () => {
  const session = new AiEngineSession({
    restUrl: REST,
    nonce: "old",
    fetch: answering(() => "").fetcher,
  });
  session.renew("fresh");
  session.refuse("old");
  assert.equal(await session.nonce(), "fresh");
});
