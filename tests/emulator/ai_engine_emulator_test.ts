import assert from "node:assert/strict";
import zlib from "node:zlib";
import {
  AiEngineEmulator,
  DEFAULT_ANSWER,
  type EmulatorOptions,
  hugeAnswerText,
} from "./ai_engine_emulator.ts";
import { mbStrlen, phpJsonEncode, phpTrim } from "./php_json.ts";
import { rawHttp } from "../support/http1/raw_client.ts";

const RECORDINGS = new URL("../fixtures/ai-engine-3.6.2/", import.meta.url);
const NONCE = "55b8d074d1"; // the recorded site's nonce, so recorded bytes compare as they are
const COOKIES_A = "mwai_session_id=6b0573b05d848; PHPSESSID=vpc0tu01q4gldsqki94hv1rh21";
const COOKIES_B = "mwai_session_id=6b0574125ffe2; PHPSESSID=ddd913fghfbnp5cctp0pse8dv3";
const START = "/wp-json/mwai/v1/start_session";
const SUBMIT = "/wp-json/mwai-ui/v1/chats/submit";
const REJECTED = "Sorry, your query has been rejected.";

// ---------------------------------------------------------------- helpers

function recording(name: string): Promise<string> {
  return Deno.readTextFile(new URL(name, RECORDINGS));
}

interface SubmitInit {
  nonce?: string | null;
  target?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

function submit(site: AiEngineEmulator, body: unknown, init: SubmitInit = {}): Promise<Response> {
  const nonce = init.nonce === undefined ? site.options.nonce : init.nonce;
  const headers: Record<string, string> = { "Content-Type": "application/json", ...init.headers };
  if (nonce !== null && nonce !== undefined) headers["X-WP-Nonce"] = nonce;
  return fetch(`${site.url}${init.target ?? SUBMIT}`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
    signal: init.signal,
  });
}

function ask(message: string, stream = true): Record<string, unknown> {
  return { botId: "default", newMessage: message, stream };
}

/** The `data:` payloads of an SSE body framed with `\n\n`, parsed as JSON. */
function events(body: string): Record<string, unknown>[] {
  return body.split("\n\n").filter((block) => block.startsWith("data: ")).map((block) =>
    JSON.parse(block.slice(6))
  );
}

function liveText(all: Record<string, unknown>[]): string {
  return all.filter((event) => event.type === "live").map((event) => event.data).join("");
}

function endOf(all: Record<string, unknown>[]): Record<string, unknown> {
  const end = all.find((event) => event.type === "end");
  assert.ok(end, "an end event");
  return JSON.parse(String(end.data));
}

/** Reads a body to its end or its failure, keeping what arrived. */
async function readAll(res: Response): Promise<{ text: string; failed: boolean }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, failed: false };
      text += value;
    }
  } catch {
    return { text, failed: true };
  }
}

async function streamed(
  options: EmulatorOptions,
  message: string,
): Promise<{ res: Response; text: string }> {
  await using site = await AiEngineEmulator.start(options);
  const res = await submit(site, ask(message));
  return { res, text: await res.text() };
}

// Values that differ from run to run; everything else must be the recorded bytes.
function comparable(text: string): string {
  return text
    .replace(/^Date: .*$/gm, "Date: <date>")
    .replace(/^Link: <[^>]*>/gm, "Link: <rest root>")
    .replace(/PHPSESSID=[0-9a-v]{26}/g, "PHPSESSID=<id>")
    .replace(/mwai_session_id=[0-9a-f]{13}/g, "mwai_session_id=<id>")
    .replace(/"sessionId":"[0-9a-f]{13}"/g, '"sessionId":"<id>"')
    .replace(/(prompt_tokens|completion_tokens|total_tokens)(\\*"):\d+/g, "$1$2:<n>")
    .replace(/chatcmpl-[a-z]+\d+/g, "chatcmpl-<id>")
    .replace(/"timestamp":[\d.]+/g, '"timestamp":<t>');
}

// ---------------------------------------------------------------- recorded exchanges

interface Replay {
  recording: string;
  method?: string;
  target?: string;
  nonce?: string;
  cookies?: string;
  /** A recorded `body-*.json`, or the body itself. */
  body?: string | { text: string };
  options?: EmulatorOptions;
}

const FAULTS = ["500", "429", "401", "503", "404", "502html", "midstream", "cut", "empty"];
const REPLAYS: Replay[] = [
  { recording: "a-start_session.txt", target: START },
  { recording: "h-start_session-B.txt", target: START },
  {
    recording: "h-start_session-rest_route-param.txt",
    target: "/?rest_route=/mwai/v1/start_session",
  },
  { recording: "h-start_session-again-with-cookie-A.txt", target: START, cookies: COOKIES_A },
  { recording: "h-start_session-with-valid-nonce.txt", target: START, nonce: NONCE },
  { recording: "h-start_session-with-bogus-nonce.txt", target: START, nonce: "0123456789" },
  {
    recording: "h-start_session-with-old-nonce.txt",
    target: START,
    nonce: NONCE,
    cookies: COOKIES_A,
    options: { newToken: true },
  },
  { recording: "h-start_session-GET.txt", method: "GET", target: START },
  { recording: "b-submit-no-nonce.txt", body: "body-d.json", nonce: "", cookies: COOKIES_A },
  {
    recording: "c-submit-bogus-nonce.txt",
    body: "body-d.json",
    nonce: "0123456789",
    cookies: COOKIES_A,
  },
  { recording: "d-submit-stream.txt", body: "body-d.json" },
  { recording: "d2-submit-stream-ui-shaped-body.txt", body: "body-d2-ui-shaped.json" },
  { recording: "d3-submit-stream-second-turn.txt", body: "body-d3-second-turn.json" },
  {
    recording: "d4-submit-stream-event_logs-on.txt",
    body: "body-d.json",
    options: { eventLogs: true },
  },
  { recording: "e-submit-nostream.txt", body: "body-e.json" },
  ...FAULTS.flatMap((fault) =>
    ["true", "false"].map((stream) => ({
      recording: `f-upstream-${fault}-stream-${stream}.txt`,
      body: `body-f-${fault}-${stream}.json`,
    }))
  ),
  { recording: "g-513chars-cyr-stream.txt", body: "body-513chars-cyr-stream.json" },
  { recording: "g-524chars-cyr-stream.txt", body: "body-524chars-cyr-stream.json" },
  { recording: "g-huge-513-stream.txt", body: "body-huge-513-stream.json" },
  { recording: "g-huge-513-nostream.txt", body: "body-huge-513-nostream.json" },
  {
    recording: "g-huge-200k-stream.txt",
    body: {
      text: JSON.stringify({ botId: "default", newMessage: "B".repeat(200_000), stream: true }),
    },
  },
  { recording: "g-empty-msg-stream.txt", body: "body-empty-msg-stream.json" },
  { recording: "g-empty-msg-nostream.txt", body: "body-empty-msg-nostream.json" },
  { recording: "g-blank-msg-stream.txt", body: "body-blank-msg-stream.json" },
  { recording: "g-no-botid-stream.txt", body: "body-no-botid-stream.json" },
  { recording: "g-unknown-bot-stream.txt", body: "body-unknown-bot-stream.json" },
  { recording: "g-unknown-bot-nostream.txt", body: "body-unknown-bot-nostream.json" },
  { recording: "h-minimal-body.txt", body: "body-minimal-body.json", cookies: "" },
  { recording: "h-nonce-no-cookie.txt", body: "body-nonce-no-cookie.json", cookies: "" },
  {
    recording: "h-nonce-madeup-session-nocookie.txt",
    body: "body-nonce-madeup-session-nocookie.json",
    cookies: "",
  },
  {
    recording: "h-nonceA-cookieB-sessionA.txt",
    body: "body-nonceA-cookieB-sessionA.json",
    cookies: COOKIES_B,
  },
  {
    recording: "h-nonce-as-query-param.txt",
    target: `${SUBMIT}?_wpnonce=${NONCE}`,
    body: "body-nonce-as-query-param.json",
    nonce: "",
  },
  {
    recording: "h-old-nonce-stream.txt",
    body: "body-old-nonce-stream.json",
    options: { newToken: true },
  },
  {
    recording: "h-old-nonce-nostream.txt",
    body: "body-old-nonce-nostream.json",
    options: { newToken: true },
  },
  {
    recording: "h-old-nonce-empty-msg.txt",
    body: "body-old-nonce-empty.json",
    options: { newToken: true },
  },
];

for (const replay of REPLAYS) {
  Deno.test(`the request of ${replay.recording} is answered with the recorded bytes`, async () => {
    // The recordings are of PHP's built-in server: close-delimited bodies.
    const options: EmulatorOptions = { nonce: NONCE, framing: "close", ...replay.options };
    await using site = await AiEngineEmulator.start(options);
    const isSubmit = replay.body !== undefined;
    // Submits send the recorded nonce and cookie A unless the case says otherwise.
    const nonce = replay.nonce ?? (isSubmit ? NONCE : "");
    const cookies = replay.cookies ?? (isSubmit ? COOKIES_A : "");
    const headers: Record<string, string> = { Host: "127.0.0.1:8080" };
    if (isSubmit) headers["Content-Type"] = "application/json";
    if (nonce) headers["X-WP-Nonce"] = nonce;
    if (cookies) headers["Cookie"] = cookies;
    const body = typeof replay.body === "string" ? await recording(replay.body) : replay.body?.text;
    const answer = await rawHttp(site.url, {
      method: replay.method ?? "POST",
      target: replay.target ?? SUBMIT,
      headers,
      body: body ?? "",
    });
    assert.equal(comparable(answer.text), comparable(await recording(replay.recording)));
  });
}

Deno.test("phpJsonEncode re-encodes every recorded event and JSON body to the same bytes", async () => {
  let checked = 0;
  for await (const entry of Deno.readDir(RECORDINGS)) {
    if (!entry.name.endsWith(".txt") || entry.name.startsWith("body-")) continue;
    const text = await recording(entry.name);
    const body = text.slice(text.indexOf("\r\n\r\n") + 4);
    const payloads = body.startsWith("{")
      ? [body]
      : body.split("\n\n").filter((b) => b.startsWith("data: "))
        .map((b) => b.slice(6));
    for (const payload of payloads) {
      const value = JSON.parse(payload);
      assert.equal(phpJsonEncode(value), payload, entry.name);
      if (value.type === "end") {
        assert.equal(phpJsonEncode(JSON.parse(value.data)), value.data, entry.name);
      }
      checked++;
    }
  }
  assert.ok(checked > 100, `only ${checked} payloads checked`);
});

Deno.test("phpJsonEncode escapes like PHP: slashes, controls in lowercase hex, emoji as surrogates", () => {
  assert.equal(phpJsonEncode("a/b\u0001\u001f\t<&>'"), '"a\\/b\\u0001\\u001f\\t<&>\'"');
  assert.equal(phpJsonEncode("👋é"), '"\\ud83d\\udc4b\\u00e9"');
  assert.equal(
    phpJsonEncode({ a: [], b: {}, c: null, d: 1.5, e: 0.00001 }),
    '{"a":[],"b":{},"c":null,"d":1.5,"e":1.0e-5}',
  );
  assert.equal(phpTrim("\u00a0 hi \n\t"), "\u00a0 hi");
  assert.equal(mbStrlen("Я👋"), 2);
});

// ---------------------------------------------------------------- the visitor's flow

Deno.test("a visitor gets the nonce from start_session and streams the answer with it", async () => {
  await using site = await AiEngineEmulator.start();
  const session = await fetch(`${site.restUrl}/mwai/v1/start_session`, { method: "POST" });
  const { success, sessionId, restNonce } = await session.json();
  assert.equal(success, true);
  assert.match(sessionId, /^[0-9a-f]{13}$/);
  assert.equal(restNonce, site.options.nonce);
  assert.equal(site.sessionsStarted, 1);

  const res = await submit(site, ask("Hello"), { nonce: restNonce });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream;charset=UTF-8");
  assert.equal(res.headers.get("x-wp-nonce"), restNonce);
  assert.equal(res.headers.get("content-length"), null);
  const all = events(await res.text());
  assert.deepEqual(all.map((event) => event.type), [...Array(7).fill("live"), "end"]);
  assert.equal(liveText(all), DEFAULT_ANSWER);
  const end = endOf(all);
  assert.equal(end.success, true);
  assert.equal(end.reply, DEFAULT_ANSWER);
  assert.equal(end.responseId, "chatcmpl-emu0001");
  assert.deepEqual(site.submits.map((request) => request.body), [ask("Hello")]);
});

Deno.test("every request is recorded with its method, target, headers and body", async () => {
  await using site = await AiEngineEmulator.start();
  await (await submit(site, ask("Hi"), { target: `${SUBMIT}?x=1` })).text();
  await (await fetch(`${site.url}/nowhere`)).text();
  assert.equal(site.requests.length, 2);
  const [first, second] = site.requests;
  assert.equal(first?.method, "POST");
  assert.equal(first?.path, `${SUBMIT}?x=1`);
  assert.equal(first?.headers.get("x-wp-nonce"), site.options.nonce);
  assert.equal(first?.rawBody, JSON.stringify(ask("Hi")));
  assert.deepEqual(first?.body, ask("Hi"));
  assert.equal(second?.path, "/nowhere");
  assert.equal(second?.body, undefined);
  assert.equal(site.submits.length, 1);
});

Deno.test("a chunked request body is read like a Content-Length one", async () => {
  await using site = await AiEngineEmulator.start({ nonce: NONCE });
  const body = JSON.stringify(ask("Hello", false));
  const chunked =
    `${(10).toString(16)}\r\n${body.slice(0, 10)}\r\n${(body.length - 10).toString(16)}\r\n` +
    `${body.slice(10)}\r\n0\r\n\r\n`;
  const answer = await rawHttp(site.url, {
    method: "POST",
    target: SUBMIT,
    headers: {
      "Content-Type": "application/json",
      "X-WP-Nonce": NONCE,
      "Transfer-Encoding": "chunked",
    },
    body: chunked,
  });
  assert.match(answer.head, /^HTTP\/1\.1 200 OK\r\n/);
  assert.equal(JSON.parse(answer.content).reply, DEFAULT_ANSWER);
  assert.deepEqual(site.submits[0]?.body, ask("Hello", false));
});

Deno.test("answers have neither Content-Length nor chunked encoding: the close ends the body", async () => {
  await using site = await AiEngineEmulator.start({ nonce: NONCE, framing: "close" });
  const answer = await rawHttp(site.url, {
    method: "POST",
    target: SUBMIT,
    headers: { "Content-Type": "application/json", "X-WP-Nonce": NONCE },
    body: JSON.stringify(ask("Hello")),
  });
  assert.doesNotMatch(answer.head, /content-length|transfer-encoding/i);
  assert.match(answer.head, /\r\nConnection: close\r\n/);
  assert.ok(answer.body.endsWith('"}\n\n'));
});

Deno.test("each live event is its own TCP write, sent as the model writes it", async () => {
  await using site = await AiEngineEmulator.start({ nonce: NONCE, pieceDelayMs: 25 });
  const answer = await rawHttp(site.url, {
    method: "POST",
    target: SUBMIT,
    headers: { "Content-Type": "application/json", "X-WP-Nonce": NONCE },
    body: JSON.stringify(ask("Hello")),
  });
  const decoder = new TextDecoder();
  const lives = answer.reads.filter((read) => decoder.decode(read.bytes).includes('"type":"live"'));
  assert.equal(lives.length, 7);
  for (const read of lives) {
    assert.equal(decoder.decode(read.bytes).split('"type":"live"').length, 2);
  }
  assert.ok(lives[6]!.atMs - lives[0]!.atMs >= 6 * 25 * 0.8, "the pieces were spread over time");
});

Deno.test("a non-streamed answer is the final object as JSON", async () => {
  await using site = await AiEngineEmulator.start();
  const res = await submit(site, ask("Hello", false));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json; charset=UTF-8");
  const json = await res.json();
  assert.equal(json.reply, DEFAULT_ANSWER);
  assert.deepEqual(Object.keys(json), [
    "success",
    "reply",
    "images",
    "actions",
    "shortcuts",
    "blocks",
    "usage",
    "responseId",
  ]);
});

Deno.test("the answer, its number of pieces and the event logs follow the options", async () => {
  await using site = await AiEngineEmulator.start({
    answer: "One two three four",
    pieces: 4,
    eventLogs: true,
  });
  const all = events(await (await submit(site, ask("Hi"))).text());
  assert.equal(all[0]?.subtype, "status");
  assert.equal(all.filter((event) => event.type === "live" && !event.subtype).length, 4);
  assert.equal(endOf(all).reply, "One two three four");
});

Deno.test("an ageing nonce brings new_token in end.data and in JSON answers", async () => {
  await using site = await AiEngineEmulator.start({ newToken: true });
  assert.equal(
    endOf(events(await (await submit(site, ask("Hi"))).text())).new_token,
    site.options.nonce,
  );
  assert.equal((await (await submit(site, ask("Hi", false))).json()).new_token, site.options.nonce);
});

// ---------------------------------------------------------------- nonce rules

Deno.test("a submit without X-WP-Nonce is 401 rest_forbidden and with a wrong one 403", async () => {
  await using site = await AiEngineEmulator.start();
  const missing = await submit(site, ask("Hi"), { nonce: null });
  assert.equal(missing.status, 401);
  assert.equal((await missing.json()).code, "rest_forbidden");
  const wrong = await submit(site, ask("Hi"), { nonce: "0000000000" });
  assert.equal(wrong.status, 403);
  assert.equal((await wrong.json()).code, "rest_cookie_invalid_nonce");
  assert.equal(wrong.headers.get("x-wp-nonce"), null);
});

Deno.test("a nonce given as ?_wpnonce= is not enough for the submit route", async () => {
  await using site = await AiEngineEmulator.start();
  const res = await submit(site, ask("Hi"), {
    nonce: null,
    target: `${SUBMIT}?_wpnonce=${site.options.nonce}`,
  });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).code, "rest_forbidden");
  assert.equal(res.headers.get("x-wp-nonce"), site.options.nonce);
});

Deno.test("after rotateNonce the old nonce is refused and the new one works", async () => {
  await using site = await AiEngineEmulator.start();
  const old = site.options.nonce!;
  const fresh = site.rotateNonce();
  assert.notEqual(fresh, old);
  assert.match(fresh, /^[0-9a-f]{10}$/);
  const refused = await submit(site, ask("Hi"), { nonce: old });
  assert.equal(refused.status, 403);
  assert.equal((await refused.json()).code, "rest_cookie_invalid_nonce");
  const session = await fetch(`${site.restUrl}/mwai/v1/start_session`, { method: "POST" });
  assert.equal((await session.json()).restNonce, fresh);
  const accepted = await submit(site, ask("Hi"), { nonce: fresh });
  assert.equal(liveText(events(await accepted.text())), DEFAULT_ANSWER);
});

Deno.test("a legacy plugin has no start_session and needs no nonce", async () => {
  await using site = await AiEngineEmulator.start({ legacy: true });
  const session = await fetch(`${site.restUrl}/mwai/v1/start_session`, { method: "POST" });
  assert.equal(session.status, 404);
  assert.equal((await session.json()).code, "rest_no_route");
  assert.equal(site.sessionsStarted, 0);
  const res = await submit(site, ask("Hi"), { nonce: null });
  assert.equal(liveText(events(await res.text())), DEFAULT_ANSWER);
});

Deno.test("both routes answer in the ?rest_route= form too", async () => {
  await using site = await AiEngineEmulator.start();
  const session = await fetch(`${site.url}/?rest_route=/mwai/v1/start_session`, { method: "POST" });
  const { restNonce } = await session.json();
  const res = await submit(site, ask("Hi"), {
    nonce: restNonce,
    target: "/?rest_route=/mwai-ui/v1/chats/submit",
  });
  assert.equal(liveText(events(await res.text())), DEFAULT_ANSWER);
  assert.equal(site.submits.length, 1);
});

Deno.test("unknown routes and a GET of start_session are 404 rest_no_route", async () => {
  await using site = await AiEngineEmulator.start();
  for (
    const [method, target] of [["GET", "/wp-json/mwai/v1/start_session"], [
      "POST",
      "/wp-json/x/v1/y",
    ], ["GET", "/"]]
  ) {
    const res = await fetch(`${site.url}${target}`, { method });
    assert.equal(res.status, 404, `${method} ${target}`);
    assert.equal((await res.json()).code, "rest_no_route");
  }
});

// ---------------------------------------------------------------- the plugin's checks

Deno.test("missing botId, an empty or blank message are rejected with 403", async () => {
  await using site = await AiEngineEmulator.start();
  for (
    const body of [
      { newMessage: "Hi", stream: true },
      { botId: null, newMessage: "Hi" },
      ask(""),
      ask(" \t\n"),
    ]
  ) {
    const res = await submit(site, body);
    assert.equal(res.status, 403, JSON.stringify(body));
    assert.deepEqual(await res.json(), { success: false, message: REJECTED });
  }
});

Deno.test("an unknown botId falls back to the default bot", async () => {
  await using site = await AiEngineEmulator.start();
  const res = await submit(site, { botId: "no-such-bot", newMessage: "Hi", stream: true });
  assert.equal(liveText(events(await res.text())), DEFAULT_ANSWER);
});

Deno.test("the length limit counts code points and rejects longer messages by stream mode", async () => {
  await using site = await AiEngineEmulator.start({ maxMessageLength: 3 });
  assert.equal((await (await submit(site, ask("👋👋👋", false))).json()).success, true);
  const streamedTooLong = await submit(site, ask("👋👋👋👋"));
  assert.equal(streamedTooLong.status, 200);
  assert.equal(streamedTooLong.headers.get("content-type"), "application/json; charset=UTF-8");
  assert.equal(await streamedTooLong.text(), `data: {"type":"error","data":"${REJECTED}"}\n\n`);
  const jsonTooLong = await submit(site, ask("👋👋👋👋", false));
  assert.equal(jsonTooLong.status, 500);
  assert.deepEqual(await jsonTooLong.json(), { success: false, message: REJECTED });
});

Deno.test("a body WordPress cannot parse is 400, a body not sent as JSON is rejected", async () => {
  await using site = await AiEngineEmulator.start();
  const headers = { "Content-Type": "application/json", "X-WP-Nonce": site.options.nonce! };
  const broken = await fetch(`${site.url}${SUBMIT}`, { method: "POST", headers, body: "{nope" });
  assert.equal(broken.status, 400);
  assert.equal((await broken.json()).code, "rest_invalid_json");
  const text = await submit(site, ask("Hi"), { headers: { "Content-Type": "text/plain" } });
  assert.equal(text.status, 403);
  assert.equal((await text.json()).message, REJECTED);
});

// ---------------------------------------------------------------- start_session faults

Deno.test("start_session can answer an HTML page, a PHP 500, or late", async () => {
  await using site = await AiEngineEmulator.start({ startSessionFault: "html" });
  const html = await fetch(`${site.restUrl}/mwai/v1/start_session`, { method: "POST" });
  assert.equal(html.status, 200);
  assert.equal(html.headers.get("content-type"), "text/html; charset=UTF-8");
  assert.match(await html.text(), /^<!DOCTYPE html>/);
  site.options.startSessionFault = "500";
  const fatal = await fetch(`${site.restUrl}/mwai/v1/start_session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
  });
  assert.equal(fatal.status, 500);
  assert.equal((await fatal.json()).code, "internal_server_error");
  assert.equal(site.sessionsStarted, 0);
  site.options.startSessionFault = null;
  site.options.startSessionDelayMs = 60;
  const started = performance.now();
  await (await fetch(`${site.restUrl}/mwai/v1/start_session`, { method: "POST" })).text();
  assert.ok(performance.now() - started >= 50);
  assert.equal(site.sessionsStarted, 1);
});

// ---------------------------------------------------------------- transport faults

Deno.test("fault reset: two live events, then the connection is closed without end", async () => {
  await using site = await AiEngineEmulator.start();
  const res = await submit(site, ask("Hi __fake:reset"));
  const { text } = await readAll(res);
  assert.ok(events(text).filter((event) => event.type === "live").length <= 2);
  assert.ok(!text.includes('"type":"end"'));
  assert.equal(site.aborts, 0);
});

Deno.test("fault reset, not streamed: the JSON is cut in half", async () => {
  await using site = await AiEngineEmulator.start();
  const { text } = await readAll(await submit(site, ask("Hi __fake:reset", false)));
  assert.ok(text.startsWith('{"success":true'));
  assert.throws(() => JSON.parse(text));
});

Deno.test("fault noend: all live events, then a clean close without end", async () => {
  const { text } = await streamed({}, "Hi __fake:noend");
  assert.equal(liveText(events(text)), DEFAULT_ANSWER);
  assert.ok(!text.includes('"type":"end"'));
});

Deno.test("fault endfalse: the end event says success false", async () => {
  const { text } = await streamed({}, "Hi __fake:endfalse");
  const end = endOf(events(text));
  assert.equal(end.success, false);
  assert.equal(typeof end.message, "string");
});

Deno.test("faults malformed, notype and unknowntype put an odd event after the first piece", async () => {
  const odd = {
    malformed: "data: {not json\n\n",
    notype: 'data: {"data":"x"}\n\n',
    unknowntype: 'data: {"type":"mystery","data":"x"}\n\n',
  };
  for (const [fault, line] of Object.entries(odd)) {
    const { text } = await streamed({}, `Hi __fake:${fault}`);
    const blocks = text.split(/(?<=\n\n)/);
    assert.equal(blocks[1], line, fault);
    assert.ok(blocks.at(-1)?.startsWith('data: {"type":"end"'), fault);
  }
});

Deno.test("fault bigevent: one live event of 8 MiB of x by default", async () => {
  const { text } = await streamed({}, "Hi __fake:bigevent");
  const all = events(text);
  assert.equal(all.length, 2);
  assert.equal(all[0]?.data, "x".repeat(8 * 1024 * 1024));
  assert.equal(endOf(all).reply, "");
});

Deno.test("fault huge: an answer of N MiB in 4 KiB live events, in order", async () => {
  const { text } = await streamed({}, "Hi __fake:huge:1");
  const all = events(text);
  assert.equal(all.length, 257);
  assert.equal(liveText(all), hugeAnswerText(1));
  assert.equal(endOf(all).reply, "");
});

Deno.test("faults html403 and html503 answer a CDN's HTML page before WordPress", async () => {
  await using site = await AiEngineEmulator.start();
  const challenge = await submit(site, ask("Hi __fake:html403"), { nonce: null });
  assert.equal(challenge.status, 403);
  assert.equal(challenge.headers.get("content-type"), "text/html; charset=UTF-8");
  assert.equal(challenge.headers.get("cf-mitigated"), "challenge");
  assert.match(await challenge.text(), /Just a moment\.\.\./);
  const unavailable = await submit(site, ask("Hi __fake:html503", false));
  assert.equal(unavailable.status, 503);
  assert.match(await unavailable.text(), /Error code 503/);
});

Deno.test("fault sseasjson: a normal SSE body under Content-Type application/json", async () => {
  const { res, text } = await streamed({}, "Hi __fake:sseasjson");
  assert.equal(res.headers.get("content-type"), "application/json; charset=UTF-8");
  assert.equal(endOf(events(text)).reply, DEFAULT_ANSWER);
});

Deno.test("fault bom: a UTF-8 BOM comes before the first event", async () => {
  await using site = await AiEngineEmulator.start();
  const bytes = new Uint8Array(await (await submit(site, ask("Hi __fake:bom"))).arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 9)], [
    0xef,
    0xbb,
    0xbf,
    ...new TextEncoder().encode("data: "),
  ]);
});

Deno.test("faults crlf and cr end every line with CRLF or with CR", async () => {
  const crlf = (await streamed({}, "Hi __fake:crlf")).text;
  assert.equal(crlf.split("\r\n\r\n").length, 9);
  assert.doesNotMatch(crlf, /[^\r]\n/);
  const cr = (await streamed({}, "Hi __fake:cr")).text;
  assert.equal(cr.split("\r\r").length, 9);
  assert.ok(!cr.includes("\n"));
});

Deno.test("faults comments and fields add legal SSE lines that carry no data", async () => {
  const comments = (await streamed({}, "Hi __fake:comments")).text;
  assert.equal(comments.split(": ping\n\n").length, 8);
  assert.equal(liveText(events(comments.replaceAll(": ping\n\n", ""))), DEFAULT_ANSWER);
  const fields = (await streamed({}, "Hi __fake:fields")).text;
  const blocks = fields.split("\n\n").filter(Boolean);
  assert.equal(blocks.length, 8);
  for (const block of blocks) assert.match(block, /^retry: 1000\nid: 7\ndata: \{/);
});

// ---------------------------------------------------------------- aborts

Deno.test("a client leaving a hanging stream after its headers counts as an abort", async () => {
  await using site = await AiEngineEmulator.start();
  const controller = new AbortController();
  const res = await submit(site, ask("Hi __fake:hang"), { signal: controller.signal });
  assert.equal(res.status, 200);
  controller.abort();
  await res.body?.cancel().catch(() => {});
  await site.waitForAborts(1);
  assert.equal(site.aborts, 1);
});

Deno.test("a client leaving a stalled stream after two events counts as an abort", async () => {
  await using site = await AiEngineEmulator.start();
  const res = await submit(site, ask("Hi __fake:stall"));
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (text.split('"type":"live"').length < 3) text += (await reader.read()).value ?? "";
  await reader.cancel();
  await site.waitForAborts(1);
  assert.equal(site.aborts, 1);
});

Deno.test("a client giving up while the headers never come counts as an abort", async () => {
  await using site = await AiEngineEmulator.start({ headersDelayMs: 60_000 });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 50);
  await assert.rejects(submit(site, ask("Hi"), { signal: controller.signal }));
  clearTimeout(timer);
  await site.waitForAborts(1);
  site.options.headersDelayMs = 0;
  const late = new AbortController();
  const lateTimer = setTimeout(() => late.abort(), 50);
  await assert.rejects(submit(site, ask("Hi __fake:hang", false), { signal: late.signal }));
  clearTimeout(lateTimer);
  await site.waitForAborts(2);
});

Deno.test("headersDelayMs holds back the status line of the model's answer", async () => {
  await using site = await AiEngineEmulator.start({ headersDelayMs: 60 });
  const started = performance.now();
  const res = await submit(site, ask("Hi"));
  assert.ok(performance.now() - started >= 50);
  await res.text();
});

Deno.test("complete answers are not aborts, and waitForAborts times out without one", async () => {
  await using site = await AiEngineEmulator.start();
  await (await submit(site, ask("Hi"))).text();
  await (await submit(site, ask("Hi", false))).text();
  await assert.rejects(site.waitForAborts(1, 30), /Timed out/);
  assert.equal(site.aborts, 0);
});

Deno.test("close() ends a hanging answer and leaves no connection open", async () => {
  const site = await AiEngineEmulator.start();
  const res = await submit(site, ask("Hi __fake:hang"));
  const body = readAll(res);
  await site.close();
  await body;
  assert.equal(site.aborts, 0);
  await site.close();
});

Deno.test("contentEncoding compresses every answer in that coding, the events intact", async () => {
  await using site = await AiEngineEmulator.start({ nonce: "55b8d074d1" });
  const decode: Record<string, (bytes: Uint8Array) => Uint8Array> = {
    deflate: (bytes) => zlib.inflateSync(bytes),
    // deno-lint-ignore no-explicit-any -- node:zlib's Zstd types lag behind the runtime
    zstd: (bytes) => (zlib as any).zstdDecompressSync(bytes),
  };
  for (const coding of ["deflate", "zstd"] as const) {
    site.options.contentEncoding = coding;
    const res = await submit(site, ask("Hello"), { nonce: "55b8d074d1" });
    assert.equal(res.headers.get("content-encoding"), coding);
    const text = new TextDecoder().decode(decode[coding]!(new Uint8Array(await res.arrayBuffer())));
    assert.equal(liveText(events(text)), DEFAULT_ANSWER);
  }
});

Deno.test("randomIdleCloseMs closes kept connections, idle or as the next request comes", async () => {
  await using site = await AiEngineEmulator.start({ randomIdleCloseMs: 5 });
  let unanswered = 0; // a plain fetch does not ask again on a close that came as it sent
  for (let i = 0; i < 30; i++) {
    await fetch(`${site.restUrl}/mwai/v1/start_session`, { method: "POST" })
      .then((response) => response.body?.cancel(), () => unanswered++);
  }
  assert.equal(site.sessionsStarted + unanswered, 30);
  assert.ok(unanswered <= site.unansweredCloses);
  assert.ok(site.idleCloses + site.unansweredCloses > 0, "no kept connection was closed");
  assert.ok(site.connections > 1);
  for (const { connection } of site.requests) {
    assert.ok(connection >= 1 && connection <= site.connections, "numbered by its connection");
  }
});
