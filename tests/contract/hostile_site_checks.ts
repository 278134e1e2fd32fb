/**
 * What must hold besides the status when the site is hostile (issue 13): a value that is
 * no nonce is never stored, sent or said; a redirect reaches nothing; a flood of blanks
 * costs little; odd text and token counts come out sane on every face.
 */
import assert from "node:assert/strict";
import { HOSTILE_HEADER_NONCES, HOSTILE_NONCES } from "../emulator/hostile_site.ts";
import type { Gateway } from "./gateway.ts";
import { ANSWER, assertError, post, sseData } from "./http_client.ts";

/** Every hostile value carries this, so that a leak of any of them shows. */
const MARK = "EVIL";
const NONCE = /^[A-Za-z0-9_-]{1,64}$/;

/** A response's body and headers, read whole, as one text to search. */
async function said(response: Response): Promise<string> {
  return (await response.text()) + JSON.stringify([...response.headers]);
}

async function assertNothingSaid(gw: Gateway, ...texts: string[]): Promise<void> {
  for (const text of texts) {
    assert.ok(!text.includes(MARK), `a response said: ${text.slice(0, 200)}`);
  }
  const output = await gw.output();
  assert.ok(!output.includes(MARK), "a log line holds the hostile value");
}

/** Every nonce the site was sent is one, and the gateway answers a plain request. */
export async function answersUnchanged(gw: Gateway): Promise<void> {
  const response = await post(gw.base, "/api/chat", { message: "Hello" });
  assert.equal(await response.text(), ANSWER);
  for (const submit of gw.site.submits) {
    const nonce = submit.headers.get("x-wp-nonce");
    assert.ok(nonce === null || NONCE.test(nonce), "a submit carried what is no nonce");
  }
  await assertNothingSaid(gw);
}

async function keepsItsNonce(gw: Gateway, fault: string, count: number): Promise<void> {
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const message = `Hello __fake:${fault}:${i}`;
    const text = await post(gw.base, "/api/chat", { message });
    assert.equal(text.status, 200);
    const body = await text.text();
    assert.equal(body, ANSWER);
    texts.push(body + JSON.stringify([...text.headers]));
    texts.push(
      await said(
        await post(gw.base, "/v1/chat/completions", {
          stream: true,
          messages: [{ role: "user", content: message }],
        }),
      ),
    );
    assert.equal(await (await post(gw.base, "/api/chat", { message: "Hello" })).text(), ANSWER);
  }
  const nonce = gw.site.options.nonce;
  for (const submit of gw.site.submits.slice(-4)) {
    assert.equal(submit.headers.get("x-wp-nonce"), nonce, "the site's own nonce stays in use");
  }
  await assertNothingSaid(gw, ...texts);
  assert.match(await gw.output(), /"level":"warn","message":"Ignored a nonce the site handed out/);
}

/** Each hostile `new_token` is ignored: the next request carries the good nonce. */
export function badNewTokens(gw: Gateway): Promise<void> {
  return keepsItsNonce(gw, "badtoken", HOSTILE_NONCES.length);
}

/** Each hostile `X-WP-Nonce` answer header is ignored likewise. */
export function badHeaderNonces(gw: Gateway): Promise<void> {
  return keepsItsNonce(gw, "badheader", HOSTILE_HEADER_NONCES.length);
}

/**
 * A hostile `restNonce` is never sent: 502 and no submit; the next request asks
 * start_session again, so a site that is fixed works at once.
 */
export async function badRestNonces(gw: Gateway): Promise<void> {
  const texts: string[] = [];
  for (const nonce of HOSTILE_NONCES) {
    gw.site.options.startSessionNonce = nonce;
    const before = gw.site.submits.length;
    const response = await post(gw.base, "/api/chat", { message: "Hello" });
    assert.equal(response.status, 502);
    texts.push(await said(response));
    assert.equal(gw.site.submits.length, before, "a submit went out with it");
  }
  await assertNothingSaid(gw, ...texts);
  assert.match(await gw.output(), /Ignored the nonce start_session handed out/);
  gw.site.options.startSessionNonce = null;
  assert.equal(await (await post(gw.base, "/api/chat", { message: "Hello" })).text(), ANSWER);
}

/** A loopback listener that counts who connects to it: where a redirect must not lead. */
async function withTrap(fn: (url: string) => Promise<void>): Promise<void> {
  const trap = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  const accepting = (async () => {
    for await (const conn of trap) {
      connections++;
      conn.close();
    }
  })();
  try {
    await fn(`http://127.0.0.1:${(trap.addr as Deno.NetAddr).port}`);
  } finally {
    trap.close();
    await accepting.catch(() => {});
  }
  assert.equal(connections, 0, "the redirect was followed");
}

/** No redirect status is followed, and the status is named; the Location is not repeated. */
export async function redirectsNotFollowed(gw: Gateway): Promise<void> {
  const saved = gw.site.options.redirectTo;
  try {
    await withTrap(async (trap) => {
      gw.site.options.redirectTo = `${trap}/wp-json/mwai-ui/v1/chats/submit`;
      for (const status of [301, 302, 307, 308]) {
        const message = `Hello __fake:redirect:${status}`;
        const response = await post(gw.base, "/api/chat", { message });
        // A redirect stays until AI_ENGINE_URL is fixed: no client should try again.
        assert.equal(response.headers.get("x-should-retry"), "false");
        const error = await assertError(response, 502, "upstream_failed");
        assert.match(error.message, new RegExp(`${status}, a redirect`));
        assert.ok(!error.message.includes(trap.slice(7)), "the Location reached the client");
      }
      // The log line names where it pointed, so the owner can fix AI_ENGINE_URL.
      const redirected = (await gw.logs()).filter((line) => line.redirect_to === trap);
      assert.equal(redirected.length, 4, "each redirect's origin is in its log line");
    });
  } finally {
    gw.site.options.redirectTo = saved;
  }
}

/** start_session's redirect is not followed; where it pointed goes to the log only. */
export async function startSessionRedirectNotFollowed(gw: Gateway): Promise<void> {
  await withTrap(async (trap) => {
    gw.site.options.redirectTo = `${trap}/wp-json/mwai/v1/start_session`;
    const response = await post(gw.base, "/api/chat", { message: "Hello" });
    const text = await said(response.clone());
    assert.equal(response.headers.get("x-should-retry"), "false");
    const error = await assertError(response, 502, "upstream_failed");
    assert.match(error.message, /302, a redirect/);
    assert.ok(!text.includes(trap.slice(7)), "the Location reached the client");
    assert.ok(
      (await gw.output()).includes(`a redirect to ${trap}: not followed`),
      "the log names the Location's origin",
    );
  });
  assert.equal(gw.site.submits.length, 0);
}

/**
 * Blank lines before the first event are skipped in one pass: 4 MiB of them cost
 * little, and the gateway answers meanwhile (a rescan of every chunk took ~16 s).
 */
export async function blanksCostLittle(gw: Gateway): Promise<void> {
  const start = performance.now();
  const answer = post(gw.base, "/api/chat", { message: "Hello __fake:blanks:4" }).then((r) =>
    r.text()
  );
  const health = await fetch(`${gw.base}/healthz`);
  await health.body?.cancel();
  const healthMs = performance.now() - start;
  assert.equal(await answer, ANSWER);
  const answerMs = performance.now() - start;
  assert.ok(answerMs < 5000, `4 MiB of blank lines took ${Math.round(answerMs)} ms`);
  assert.ok(healthMs < 1000, `/healthz took ${Math.round(healthMs)} ms meanwhile`);
}

/** The split pair is one emoji on the SSE face too, never U+FFFD. */
export async function splitPairJoinedOnEveryFace(gw: Gateway): Promise<void> {
  const response = await post(gw.base, "/v1/chat/completions", {
    stream: true,
    messages: [{ role: "user", content: "Hello __fake:splitemoji" }],
  });
  const data = sseData(await response.text());
  assert.equal(data.at(-1), "[DONE]");
  const text = data.slice(0, -1).map((d) => JSON.parse(d).choices[0]?.delta?.content ?? "").join(
    "",
  );
  assert.equal(text, ANSWER);
  const plain = await (await post(gw.base, "/api/chat", { message: "Hello __fake:splitemoji" }))
    .text();
  assert.ok(!plain.includes("\ufffd"), plain);
}

/** Absurd counts are null on the webhook, 0 for OpenAI clients (which want numbers). */
export async function tokenCountsNulled(gw: Gateway): Promise<void> {
  const message = "Hello __fake:badusage";
  const webhook = await (await post(gw.base, "/api/webhook", { message })).json();
  assert.equal(webhook.reply, ANSWER);
  assert.deepEqual(webhook.usage, {
    prompt_tokens: null,
    completion_tokens: null,
    total_tokens: null,
  });
  const completion = await (await post(gw.base, "/v1/chat/completions", {
    messages: [{ role: "user", content: message }],
  })).json();
  assert.deepEqual(completion.usage, { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  const sse = sseData(
    await (await post(gw.base, "/v1/chat/completions", {
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: message }],
    })).text(),
  );
  const usage = JSON.parse(sse.at(-2)!).usage;
  assert.deepEqual(usage, { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
}
