import assert from "node:assert/strict";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import { AiEngineSession } from "../../../lib/ai_engine/session/ai_engine_session.ts";

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

Deno.test("a refused nonce that a late answer brings back is not taken again", async () => {
  const session = new AiEngineSession({
    restUrl: REST,
    nonce: "old",
    fetch: answering(() => JSON.stringify({ success: true, restNonce: "new" })).fetcher,
  });
  session.refuse("old");
  // An answer that set off before the site rotated its nonce repeats the old one.
  session.renew("old");
  assert.equal(await session.nonce(), "new", "start_session, not the refused nonce");
  session.renew("newer");
  assert.equal(await session.nonce(), "newer");
});

/** What a hostile or broken site may hand out instead of a nonce. */
const NOT_NONCES = ["EVIL\r\nX-A: 1", "EVIL\0", "EVIL-é€", "EVIL".repeat(25_000), "EVIL EVIL", ""];

Deno.test("a renewed value that is not a nonce is never stored, and a warning says so unquoted", async () => {
  const warnings: string[] = [];
  const session = new AiEngineSession({
    restUrl: REST,
    nonce: "good_nonce-1",
    fetch: answering(() => "").fetcher,
    warn: (message) => warnings.push(message),
  });
  for (const bad of NOT_NONCES) session.renew(bad);
  assert.equal(await session.nonce(), "good_nonce-1");
  assert.equal(warnings.length, NOT_NONCES.length - 1, "an empty value is no nonce, not a warning");
  for (const warning of warnings) {
    assert.match(warning, /^Ignored a nonce the site handed out: /);
    assert.ok(!/EVIL|é/.test(warning), warning);
  }
  session.renew("A".repeat(64));
  assert.equal(await session.nonce(), "A".repeat(64));
});

Deno.test("a start_session nonce that is not one is refused as upstream_failed, and asked again", async () => {
  for (const bad of NOT_NONCES.slice(0, 4)) {
    const warnings: string[] = [];
    let nonce = bad;
    const { fetcher, calls } = answering(() => JSON.stringify({ success: true, restNonce: nonce }));
    const session = new AiEngineSession({
      restUrl: REST,
      fetch: fetcher,
      warn: (message) => warnings.push(message),
    });
    await assert.rejects(session.nonce(), (error) => {
      assert.ok(error instanceof AiEngineError);
      // 100 KB of nonce is more than a start_session answer may be.
      assert.equal(error.type, bad.length > 64 * 1024 ? "too_large" : "upstream_failed");
      assert.ok(!error.message.includes("EVIL"), error.message);
      return true;
    });
    assert.ok(warnings.length <= 1);
    assert.ok(!warnings.join().includes("EVIL"), warnings[0]);
    nonce = "0123456789";
    assert.equal(await session.nonce(), "0123456789");
    assert.equal(calls.length, 2);
  }
});

Deno.test("a fixed nonce that is not one is refused when the session is made", () => {
  for (const bad of NOT_NONCES.slice(0, 5)) {
    assert.throws(() => new AiEngineSession({ restUrl: REST, nonce: bad }), TypeError);
  }
});

Deno.test("a start_session redirect is not followed: upstream_failed naming the status", async () => {
  const seen: RequestInit[] = [];
  const warnings: string[] = [];
  const fetcher: typeof fetch = (_input, init) => {
    seen.push(init ?? {});
    return Promise.resolve(
      new Response(null, {
        status: 307,
        headers: { location: "https://user:pw@elsewhere.example/steal?x=1" },
      }),
    );
  };
  const session = new AiEngineSession({
    restUrl: REST,
    fetch: fetcher,
    warn: (m) => warnings.push(m),
  });
  await assert.rejects(session.nonce(), (error) => {
    assert.ok(error instanceof AiEngineError);
    assert.equal(error.type, "upstream_failed");
    assert.equal(error.upstreamStatus, 307);
    assert.match(error.message, /307, a redirect, which is not followed/);
    assert.ok(!error.message.includes("elsewhere"), "the Location goes to the log only");
    return true;
  });
  assert.equal(seen[0]!.redirect, "manual");
  assert.deepEqual(warnings, [
    "start_session answered 307, a redirect to https://elsewhere.example: not followed",
  ]);
});

Deno.test("a start_session the site is slow to answer says so, not that connecting timed out", async () => {
  const slowHeaders: typeof fetch = (_input, init) =>
    new Promise((_, reject) => {
      init!.signal!.addEventListener("abort", () => reject(init!.signal!.reason));
    });
  const slowBody: typeof fetch = (_input, init) => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        init!.signal!.addEventListener("abort", () => controller.error(init!.signal!.reason));
      },
    });
    return Promise.resolve(new Response(body));
  };
  for (const fetcher of [slowHeaders, slowBody]) {
    const session = new AiEngineSession({ restUrl: REST, fetch: fetcher, timeoutMs: 50 });
    await assert.rejects(session.nonce(), (error) => {
      assert.ok(error instanceof AiEngineError);
      assert.equal(error.type, "timeout");
      assert.equal(error.message, "Could not start an AI Engine session: the site took over 50 ms");
      return true;
    });
  }
});

Deno.test("a start_session lost past its time limit (its request's I/O cancelled) is begun anew", async () => {
  const calls: string[] = [];
  // The first call's answer never comes, and its abort is never heard: lost, as a request's
  // I/O is on Workers once the request that began it is gone.
  const fetcher: typeof fetch = (input) => {
    calls.push(String(input));
    if (calls.length === 1) return new Promise<Response>(() => {});
    return Promise.resolve(Response.json({ success: true, restNonce: "n2" }));
  };
  const session = new AiEngineSession({ restUrl: REST, fetch: fetcher, timeoutMs: 10 });
  const lost = session.nonce();
  session.nonce();
  assert.equal(calls.length, 1, "shared while it may still come");
  const began = performance.now();
  // The time limit and a second more: the time under test, not a wait for an event.
  while (performance.now() - began < 1_100) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await session.nonce(), "n2");
  assert.equal(calls.length, 2);
  void lost;
});
