import assert from "node:assert/strict";
import { startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";

const ask = (base: string) => post(base, "/api/chat", { message: "Hello" }).then((r) => r.text());

Deno.test("the REST nonce", async (t) => {
  await t.step("many requests at once share one start_session, then reuse its nonce", async () => {
    await using gw = await startGateway({}, { startSessionDelayMs: 100 });
    const answers = await Promise.all(Array.from({ length: 30 }, () => ask(gw.base)));
    assert.deepEqual(new Set(answers), new Set([ANSWER]));
    await ask(gw.base);
    assert.equal(gw.site.sessionsStarted, 1);
    const nonces = new Set(gw.site.submits.map((s) => s.headers.get("x-wp-nonce")));
    assert.equal(nonces.size, 1);
    assert.ok(!nonces.has(null));
  });

  await t.step(
    "an expired nonce is refreshed once and the request retried, unseen by the client",
    async () => {
      await using gw = await startGateway();
      assert.equal(await ask(gw.base), ANSWER);
      const fresh = gw.site.rotateNonce();
      assert.equal(await ask(gw.base), ANSWER);
      assert.equal(gw.site.sessionsStarted, 2);
      assert.equal(gw.site.submits.at(-1)!.headers.get("x-wp-nonce"), fresh);
      assert.equal(gw.site.submits.length, 3);
    },
  );

  await t.step(
    "a fresher nonce handed out by an answer replaces the old one, without start_session",
    async () => {
      await using gw = await startGateway();
      assert.equal(await ask(gw.base), ANSWER);
      const fresh = gw.site.ageNonce();
      assert.equal(await ask(gw.base), ANSWER);
      assert.equal(await ask(gw.base), ANSWER);
      assert.equal(gw.site.submits.at(-1)!.headers.get("x-wp-nonce"), fresh);
      assert.equal(gw.site.sessionsStarted, 1);
    },
  );

  await t.step("requests refused at once share one refresh", async () => {
    await using gw = await startGateway();
    assert.equal(await ask(gw.base), ANSWER);
    gw.site.rotateNonce();
    const answers = await Promise.all(Array.from({ length: 20 }, () => ask(gw.base)));
    for (const answer of answers) assert.equal(answer, ANSWER);
    assert.equal(gw.site.sessionsStarted, 2);
  });

  await t.step("a nonce that expires mid-traffic fails no request", async () => {
    await using gw = await startGateway({}, { pieceDelayMs: 5 });
    assert.equal(await ask(gw.base), ANSWER);
    const first = Promise.all(Array.from({ length: 20 }, () => ask(gw.base)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    gw.site.rotateNonce();
    const second = Promise.all(Array.from({ length: 20 }, () => ask(gw.base)));
    for (const answer of [...await first, ...await second]) assert.equal(answer, ANSWER);
    // At most one refresh: an answer's X-WP-Nonce header may bring the new nonce first.
    assert.ok(gw.site.sessionsStarted <= 2, `${gw.site.sessionsStarted} start_session calls`);
  });

  await t.step("a fixed AI_ENGINE_NONCE is used without start_session", async () => {
    await using gw = await startGateway({ AI_ENGINE_NONCE: "0123456789" }, { nonce: "0123456789" });
    assert.equal(await ask(gw.base), ANSWER);
    assert.equal(gw.site.sessionsStarted, 0);
    assert.equal(gw.site.submits[0]!.headers.get("x-wp-nonce"), "0123456789");
  });

  await t.step("a site older than AI Engine 2.0 is asked without a nonce", async () => {
    await using gw = await startGateway({}, { legacy: true });
    assert.equal(await ask(gw.base), ANSWER);
    assert.equal(await ask(gw.base), ANSWER);
    assert.equal(gw.site.submits[0]!.headers.get("x-wp-nonce"), null);
    const sessionCalls = gw.site.requests.filter((r) => r.route?.endsWith("start_session"));
    assert.equal(sessionCalls.length, 1, "start_session's 404 is remembered");
  });

  await t.step("a site on ?rest_route= works through AI_ENGINE_REST_URL", async () => {
    await using gw = await startGateway((site) => ({
      AI_ENGINE_URL: "https://unused.example",
      AI_ENGINE_REST_URL: `${site.url}/?rest_route=`,
    }));
    assert.equal(await ask(gw.base), ANSWER);
    assert.ok(gw.site.submits[0]!.path.startsWith("/?rest_route=/mwai-ui/v1/chats/submit"));
  });

  await t.step(
    "a start_session that answers HTML is 502, and the next request tries again",
    async () => {
      await using gw = await startGateway({}, { startSessionFault: "html" });
      const error = await assertError(
        await post(gw.base, "/api/chat", { message: "Hello" }),
        502,
        "upstream_failed",
      );
      assert.match(error.message, /start an AI Engine session/);
      gw.site.options.startSessionFault = null;
      assert.equal(await ask(gw.base), ANSWER);
    },
  );
});
