/**
 * Per-client limits over real HTTP, in every runtime: a client over a limit is refused with
 * the gateway's own 429 before the site is called, and every answer says its limits in the
 * IETF draft's `RateLimit-Policy`/`RateLimit` headers. Every request here comes from one
 * anonymous client (127.0.0.1) unless it shows a key.
 */
import assert from "node:assert/strict";
import type { Variables } from "../../lib/gateway/config.ts";
import { RUNTIME, startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";
import { STAND_IN_SECRET, startTurnstileStandIn } from "../gateway/limits/turnstile_stand_in.ts";

const KEY = "k-limits-test";

Deno.test("an anonymous client over its requests a minute gets the gateway's 429, and the site never hears of it", async () => {
  await using gw = await startGateway({ ANON_REQUESTS_PER_MINUTE: "2" });
  for (let i = 0; i < 2; i++) {
    const response = await post(gw.base, "/api/chat", { message: "Hello" });
    assert.equal(await response.text(), ANSWER);
    assert.match(response.headers.get("ratelimit-policy")!, /"minute";q=2;w=60;qu="requests"/);
    assert.match(response.headers.get("ratelimit")!, new RegExp(`"minute";r=${1 - i};t=\\d+`));
  }
  const refused = await post(gw.base, "/v1/chat/completions", {
    model: "default",
    messages: [{ role: "user", content: "Hello" }],
  });
  const error = await assertError(refused, 429, "rate_limit_exceeded");
  assert.match(error.message, /^Gateway limit: 2 requests a minute per client address/);
  assert.equal(error.type, "rate_limit_error");
  assert.equal(refused.headers.get("x-should-retry"), "true");
  const retryAfter = Number(refused.headers.get("retry-after"));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
  assert.match(refused.headers.get("ratelimit")!, /"minute";r=0;t=\d+/);
  assert.equal(gw.site.submits.length, 2);
});

Deno.test("a client with a handful of answers streaming is refused another until one ends", async () => {
  await using gw = await startGateway(
    { ANON_CONCURRENT_ANSWERS: "2" },
    { pieces: 20, pieceDelayMs: 50 },
  );
  const readers = [];
  for (let i = 0; i < 2; i++) {
    const response = await post(gw.base, "/api/chat", { message: "Hello" });
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    await reader.read(); // the answer has begun
    readers.push(reader);
  }
  const refused = await post(gw.base, "/api/chat", { message: "Hello" });
  const error = await assertError(refused, 429, "rate_limit_exceeded");
  assert.match(error.message, /2 answers at once/);
  assert.match(
    refused.headers.get("ratelimit-policy")!,
    /"concurrent";q=2;qu="concurrent-requests"/,
  );
  // One client leaves, the other reads to the end: both slots come back.
  await readers[0]!.cancel();
  while (!(await readers[1]!.read()).done) { /* read on */ }
  let again = await post(gw.base, "/api/chat", { message: "Hello" });
  for (let tries = 0; again.status === 429 && tries < 20; tries++) {
    await again.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    again = await post(gw.base, "/api/chat", { message: "Hello" });
  }
  assert.equal(again.status, 200);
  await again.body?.cancel();
});

Deno.test("an answer budget a day refuses the next answer once spent, and says retrying soon will not help", async () => {
  await using gw = await startGateway({ ANON_ANSWER_BUDGET_PER_DAY: String(ANSWER.length) });
  assert.equal(await (await post(gw.base, "/api/chat", { message: "Hello" })).text(), ANSWER);
  let refused = await post(gw.base, "/api/chat", { message: "Hello" });
  // The answer is counted when its body has ended: on workerd that may come a moment later.
  for (let tries = 0; refused.status === 200 && tries < 20; tries++) {
    await refused.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    refused = await post(gw.base, "/api/chat", { message: "Hello" });
  }
  const error = await assertError(refused, 429, "rate_limit_exceeded");
  assert.match(error.message, /answer budget of \d+ a day/);
  assert.equal(refused.headers.get("x-should-retry"), "false");
  assert.match(refused.headers.get("ratelimit")!, /"day";r=0;t=\d+/);
});

Deno.test("with API_KEYS and PUBLIC_CHAT, keys pass unlimited while anonymous clients are limited", async () => {
  await using gw = await startGateway({
    API_KEYS: KEY,
    PUBLIC_CHAT: "true",
    ANON_REQUESTS_PER_MINUTE: "1",
  });
  assert.equal(await (await post(gw.base, "/api/chat", { message: "Hi" })).text(), ANSWER);
  await assertError(
    await post(gw.base, "/api/chat", { message: "Hi" }),
    429,
    "rate_limit_exceeded",
  );
  for (let i = 0; i < 3; i++) {
    const keyed = await post(gw.base, "/api/chat", { message: "Hi" }, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    assert.equal(await keyed.text(), ANSWER);
    assert.equal(
      keyed.headers.get("ratelimit-policy"),
      null,
      "keyed clients have no limits unless set",
    );
  }
  // A wrong key is still refused: its sender should learn it is wrong.
  await assertError(
    await post(gw.base, "/api/chat", { message: "Hi" }, {
      headers: { authorization: "Bearer nope" },
    }),
    401,
    "invalid_api_key",
  );
  // The OpenAI face stays for keys only.
  await assertError(
    await post(gw.base, "/v1/chat/completions", { messages: [{ role: "user", content: "Hi" }] }),
    401,
    "invalid_api_key",
  );
});

Deno.test("without PUBLIC_CHAT, API_KEYS keeps the chat faces for keys", async () => {
  await using gw = await startGateway({ API_KEYS: KEY });
  await assertError(await post(gw.base, "/api/chat", { message: "Hi" }), 401, "invalid_api_key");
  await assertError(await post(gw.base, "/api/ui-chat", { messages: [] }), 401, "invalid_api_key");
});

Deno.test("keyed clients are limited when their limits are set, each key on its own", async () => {
  await using gw = await startGateway({ API_KEYS: `${KEY},other`, KEY_REQUESTS_PER_MINUTE: "1" });
  const ask = (key: string) =>
    post(gw.base, "/api/chat", { message: "Hi" }, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(await (await ask(KEY)).text(), ANSWER);
  const refused = await ask(KEY);
  assert.match((await assertError(refused, 429, "rate_limit_exceeded")).message, /per key/);
  assert.equal(await (await ask("other")).text(), ANSWER);
});

/** The store that holds across isolates where the runtime has one: KV in process, DOs on workerd. */
const SHARED_STORE: Record<typeof RUNTIME, Variables | null> = {
  inprocess: { LIMITS_STORE: "deno-kv" },
  workerd: { LIMITS_STORE: "durable-object" },
  deno: null, // `deno serve` as users run it has no read or write permission for a KV file
};

Deno.test({
  name: `the ${
    SHARED_STORE[RUNTIME]?.LIMITS_STORE
  } store: twenty requests racing for five units, exactly five answered`,
  ignore: SHARED_STORE[RUNTIME] === null,
  fn: async () => {
    // A fresh key per run: wrangler dev keeps Durable Objects' state between runs.
    const key = `k-${crypto.randomUUID()}`;
    const dir = await Deno.makeTempDir({ dir: ".", prefix: ".limits-kv-" });
    try {
      await using gw = await startGateway({
        ...SHARED_STORE[RUNTIME],
        DENO_KV_PATH: `${dir}/limits.sqlite`,
        API_KEYS: key,
        KEY_REQUESTS_PER_MINUTE: "5",
        KEY_CONCURRENT_ANSWERS: "20", // taken and given back, never the bound here
      });
      const ask = () =>
        post(gw.base, "/api/chat", { message: "Hi" }, {
          headers: { authorization: `Bearer ${key}` },
        });
      const answers = await Promise.all(Array.from({ length: 20 }, async () => {
        const response = await ask();
        return { status: response.status, text: await response.text() };
      }));
      const answered = answers.filter((a) => a.status === 200);
      assert.equal(answered.length, 5, JSON.stringify(answers.map((a) => a.status)));
      assert.ok(answered.every((a) => a.text === ANSWER));
      assert.ok(answers.every((a) => a.status === 200 || a.status === 429));
      assert.equal(gw.site.submits.length, 5);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("Turnstile: an anonymous answer needs a good token once, then the gateway's pass stands in", async () => {
  await using turnstile = startTurnstileStandIn();
  await using gw = await startGateway({
    TURNSTILE_SITE_KEY: "0x4AAAAAAA-site",
    TURNSTILE_SECRET_KEY: STAND_IN_SECRET,
    TURNSTILE_VERIFY_URL: turnstile.url,
  });
  const ask = (headers: Record<string, string> = {}) =>
    post(gw.base, "/api/chat", { message: "Hi" }, { headers });
  await assertError(await ask(), 403, "turnstile_required");
  await assertError(await ask({ "x-turnstile-token": "forged" }), 403, "turnstile_invalid");
  await assertError(await ask({ "x-turnstile-token": "stale" }), 403, "turnstile_expired");
  assert.equal(gw.site.submits.length, 0, "the site is never asked without a check");

  const first = await ask({ "x-turnstile-token": "good" });
  assert.equal(await first.text(), ANSWER);
  const pass = first.headers.get("x-gateway-pass")!;
  assert.match(pass, /^\d+\.[\w-]{43}$/);
  assert.equal(turnstile.forms.at(-1)?.get("secret"), STAND_IN_SECRET);
  if (RUNTIME !== "workerd") assert.equal(turnstile.forms.at(-1)?.get("remoteip"), "127.0.0.1");
  // The token was good once; the pass stands in for it.
  await assertError(await ask({ "x-turnstile-token": "good" }), 403, "turnstile_expired");
  assert.equal(await (await ask({ "x-gateway-pass": pass })).text(), ANSWER);
  const [expires, mac] = pass.split(".");
  await assertError(
    await ask({ "x-gateway-pass": `${Number(expires) + 1}.${mac}` }),
    403,
    "turnstile_required",
  );
  assert.equal(gw.site.submits.length, 2);
});

Deno.test("Turnstile that cannot be reached is a 503 worth a retry, and keyed clients never need it", async () => {
  await using gw = await startGateway({
    API_KEYS: KEY,
    PUBLIC_CHAT: "true",
    TURNSTILE_SITE_KEY: "0x4AAAAAAA-site",
    TURNSTILE_SECRET_KEY: STAND_IN_SECRET,
    TURNSTILE_VERIFY_URL: "http://127.0.0.1:9/siteverify",
  });
  const refused = await post(gw.base, "/api/chat", { message: "Hi" }, {
    headers: { "x-turnstile-token": "good" },
  });
  await assertError(refused, 503, "turnstile_unavailable");
  assert.equal(refused.headers.get("x-should-retry"), "true");
  const keyed = await post(gw.base, "/api/chat", { message: "Hi" }, {
    headers: { authorization: `Bearer ${KEY}` },
  });
  assert.equal(await keyed.text(), ANSWER);
});
