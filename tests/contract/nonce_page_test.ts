/**
 * AI Engine 2.0.1–2.4.3 checks the nonce on submit but has no start_session: the nonce
 * is only in the HTML of a page that shows the chatbot (`AI_ENGINE_NONCE_PAGE`, default
 * the home page). 1.9 has neither and keeps working without a nonce.
 */
import assert from "node:assert/strict";
import type { AiEngineEmulator } from "../emulator/ai_engine_emulator.ts";
import { startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";

const pageReads = (site: AiEngineEmulator, path = "/") =>
  site.requests.filter((request) => request.method === "GET" && request.path === path).length;

const ask = async (base: string) => {
  const response = await post(base, "/api/chat", { message: "Hello" });
  assert.equal(response.status, 200);
  return await response.text();
};

Deno.test("a 2.0.1-2.4.3 site: the nonce is read from its home page", async (t) => {
  await using gw = await startGateway({}, { version: "2.0-2.4.3" });

  await t.step("the first chat reads the page once, after submit refused it", async () => {
    assert.equal(await ask(gw.base), ANSWER);
    assert.equal(pageReads(gw.site), 1);
    const submits = gw.site.submits;
    assert.equal(submits.length, 2);
    assert.equal(submits[0]!.headers.get("x-wp-nonce"), null);
    assert.equal(submits[1]!.headers.get("x-wp-nonce"), gw.site.options.nonce);
  });

  await t.step("the nonce is reused: no page read, no refusal", async () => {
    assert.equal(await ask(gw.base), ANSWER);
    assert.equal(pageReads(gw.site), 1);
    assert.equal(gw.site.submits.length, 3);
  });

  await t.step("a nonce the site refuses later is read from the page again", async () => {
    const fresh = gw.site.rotateNonce();
    assert.equal(await ask(gw.base), ANSWER);
    assert.equal(pageReads(gw.site), 2);
    assert.equal(gw.site.submits.at(-1)!.headers.get("x-wp-nonce"), fresh);
  });
});

Deno.test("a 2.0.1-2.4.3 site: requests at once share one page read", async () => {
  await using gw = await startGateway({}, { version: "2.0-2.4.3", pieceDelayMs: 0 });
  const answers = await Promise.all(Array.from({ length: 6 }, () => ask(gw.base)));
  assert.deepEqual(answers, Array(6).fill(ANSWER));
  assert.equal(pageReads(gw.site), 1);
});

Deno.test("AI_ENGINE_NONCE_PAGE names the page to read", async () => {
  await using gw = await startGateway(
    (site) => ({ AI_ENGINE_NONCE_PAGE: `${site.url}/contact/` }),
    { version: "2.0-2.4.3" },
  );
  assert.equal(await ask(gw.base), ANSWER);
  assert.equal(pageReads(gw.site, "/contact/"), 1);
  assert.equal(pageReads(gw.site), 0);
});

Deno.test("a nonce 2.0.1-2.2.91 printed as a number is recovered with its zeros", async () => {
  const system = "{&quot;botId&quot;:&quot;default&quot;,&quot;restNonce&quot;:123456789}";
  await using gw = await startGateway({}, {
    version: "2.0-2.4.3",
    nonce: "0123456789",
    pageSystem: system,
  });
  assert.equal(await ask(gw.base), ANSWER);
});

Deno.test("a page without a nonce is 502, naming AI_ENGINE_NONCE_PAGE", async () => {
  const system = "{&quot;botId&quot;:&quot;default&quot;,&quot;restNonce&quot;:null}";
  await using gw = await startGateway({}, { version: "2.0-2.4.3", pageSystem: system });
  const response = await post(gw.base, "/api/chat", { message: "Hello" });
  // The page stays without a nonce until the setting changes: no client should try again.
  assert.equal(response.headers.get("x-should-retry"), "false");
  const error = await assertError(response, 502, "upstream_failed");
  assert.match(error.message, /AI_ENGINE_NONCE_PAGE/);
});

Deno.test("a 1.9 site needs no nonce: no page is read", async () => {
  await using gw = await startGateway({}, { version: "1.9" });
  assert.equal(await ask(gw.base), ANSWER);
  assert.equal(await ask(gw.base), ANSWER);
  assert.equal(pageReads(gw.site), 0);
  assert.ok(gw.site.submits.every((submit) => submit.headers.get("x-wp-nonce") === null));
});

Deno.test("a 2.4.4+ site: the nonce comes from start_session, no page is read", async () => {
  await using gw = await startGateway({}, { version: "2.4.4+" });
  assert.equal(await ask(gw.base), ANSWER);
  assert.equal(gw.site.sessionsStarted, 1);
  assert.equal(pageReads(gw.site), 0);
});
