import assert from "node:assert/strict";
import { ChunkedDecoder } from "../support/http1/chunked_coding.ts";
import { rawHttp, type RawHttpAnswer } from "../support/http1/raw_client.ts";
import { AiEngineEmulator, type EmulatorOptions, type SiteFraming } from "./ai_engine_emulator.ts";
import { defaultFraming } from "./site_framing.ts";

const APACHE = new URL("../fixtures/ai-engine-3.6.2-apache/", import.meta.url);
const NONCE = "00fbbfc281"; // the Apache site's nonce, so its bytes compare as they are
const SUBMIT = "/wp-json/mwai-ui/v1/chats/submit";
// How the Apache recording's language-model stand-in cut its answer.
const APACHE_PIECES = ["Привет", ", мир", "! 👋", " The", " answer", " is", " 42."];

function recorded(name: string): Promise<string> {
  return Deno.readTextFile(new URL(name, APACHE));
}

/** `*.reads.txt`: one line per TCP read, `+81.4ms READ 725B "<JSON string of the bytes>"`. */
async function recordedReads(name: string): Promise<string[]> {
  const lines = (await recorded(name)).trim().split("\n");
  return lines.map((line) => JSON.parse(/ READ \d+B (".*")$/.exec(line)![1]!));
}

// Values that differ from run to run; everything else must be the recorded bytes. Each
// stand-in is as long as what it replaces, so chunk sizes stay comparable.
function comparable(text: string): string {
  return text
    .replace(/^Date: .*$/gm, "Date: <date>")
    .replace(/^Link: <[^>]*>/gm, "Link: <rest root>")
    .replace(/mwai_session_id=[0-9a-f]{13}/g, "mwai_session_id=<id>")
    .replace(/chatcmpl-[a-z]+\d+/g, "chatcmpl-<id>");
}

function submit(
  site: AiEngineEmulator,
  body: string,
  headers: Record<string, string> = {},
): Promise<RawHttpAnswer> {
  return rawHttp(site.url, {
    method: "POST",
    target: SUBMIT,
    headers: { "Content-Type": "application/json", "X-WP-Nonce": NONCE, ...headers },
    body,
  });
}

function ask(message: string, stream = true): string {
  return JSON.stringify({ botId: "default", newMessage: message, stream });
}

/** The chunks each read carries (after the head, for the first), as text. */
function chunksPerRead(reads: readonly string[]): string[][] {
  const decoder = new ChunkedDecoder();
  const encoder = new TextEncoder();
  return reads.map((read, i) => {
    const body = i === 0 ? read.slice(read.indexOf("\r\n\r\n") + 4) : read;
    const before = decoder.chunks;
    const pieces = decoder.push(encoder.encode(body)).map((bytes) =>
      new TextDecoder().decode(bytes)
    );
    assert.equal(decoder.chunks - before, pieces.length, "each chunk whole within its read");
    return pieces;
  });
}

const STREAM_OPTIONS: EmulatorOptions = {
  framing: "apache",
  nonce: NONCE,
  answerPieces: APACHE_PIECES,
  pieceDelayMs: 20,
};

Deno.test("the apache framing answers d-stream's request with the recorded bytes", async () => {
  await using site = await AiEngineEmulator.start(STREAM_OPTIONS);
  const answer = await submit(site, await recorded("d-stream.request.json"), {
    Host: "127.0.0.1:8080",
  });
  assert.equal(comparable(answer.text), comparable(await recorded("d-stream.raw")));
  assert.ok(answer.complete);
});

Deno.test("with apache framing each event arrives as one TCP read holding two chunks", async () => {
  await using site = await AiEngineEmulator.start(STREAM_OPTIONS);
  const answer = await submit(site, await recorded("d-stream.request.json"));
  const reads = chunksPerRead(answer.reads.map((read) => new TextDecoder().decode(read.bytes)));
  const recording = chunksPerRead(await recordedReads("d-stream.reads.txt"));
  // The live events are paced, so each has a read to itself, the first one with the head.
  // The end event follows the last piece at once here (the recorded model took a token's
  // time), so it may share that read: as two chunks of its own.
  const lives = (perRead: string[][]) => perRead.filter((chunks) => chunks[0]?.includes('"live"'));
  for (const perRead of [lives(recording), lives(reads)]) {
    assert.equal(perRead.length, 7);
    for (const chunks of perRead) {
      assert.match(chunks[0]!, /^data: \{"type":"live","data":".*"\}$/);
      assert.equal(chunks[1], "\n\n");
      if (chunks.length === 2) continue;
      assert.equal(chunks.length, 4);
      assert.match(chunks[2]!, /^data: \{"type":"end"/);
      assert.equal(chunks[3], "\n\n");
    }
  }
  assert.ok(new TextDecoder().decode(answer.reads[0]!.bytes).startsWith("HTTP/1.1 200 OK\r\n"));
  assert.match(new TextDecoder().decode(answer.reads[0]!.bytes), /\r\n\r\n43\r\ndata: /);
  const pairs = (perRead: string[][]) => lives(perRead).map((chunks) => chunks.slice(0, 2));
  assert.deepEqual(pairs(reads), pairs(recording));
});

Deno.test("apache framing: the head is Apache's, kept alive, with Content-Type last", async () => {
  await using site = await AiEngineEmulator.start({ framing: "apache", nonce: NONCE });
  const answer = await submit(site, ask("Hello"));
  const names = answer.head.split("\r\n").slice(1).map((line) => line.slice(0, line.indexOf(":")));
  assert.deepEqual(names.slice(0, 2), ["Date", "Server"]);
  assert.deepEqual(names.slice(-4), [
    "Keep-Alive",
    "Connection",
    "Transfer-Encoding",
    "Content-Type",
  ]);
  assert.match(answer.head, /\r\nKeep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\n/);
  assert.match(answer.head, /\r\nContent-Type: text\/event-stream;charset=UTF-8$/);
  assert.doesNotMatch(answer.head, /X-Powered-By|\r\nHost:/);
  assert.ok(answer.body.endsWith("\r\n2\r\n\n\n\r\n0\r\n\r\n"));
});

Deno.test("apache framing: a JSON answer is one chunk, then the last chunk", async () => {
  await using site = await AiEngineEmulator.start({ framing: "apache", nonce: NONCE });
  const answer = await submit(site, ask("Hello", false));
  assert.match(answer.head, /\r\nContent-Type: application\/json; charset=UTF-8$/);
  const json = answer.content;
  assert.equal(JSON.parse(json).success, true);
  const size = new TextEncoder().encode(json).length.toString(16);
  assert.equal(answer.body, `${size}\r\n${json}\r\n0\r\n\r\n`);
});

Deno.test("apache framing: a kept connection serves the next request and counts max down", async () => {
  await using site = await AiEngineEmulator.start({ framing: "apache", nonce: NONCE });
  const start = `${site.restUrl}/mwai/v1/start_session`;
  const first = await fetch(start, { method: "POST" });
  await first.body?.cancel();
  const second = await fetch(start, { method: "POST" });
  await second.text();
  assert.equal(first.headers.get("keep-alive"), "timeout=5, max=100");
  assert.equal(second.headers.get("keep-alive"), "timeout=5, max=99");
});

Deno.test("apache framing: Connection: close and a 500 are answered chunked, then closed", async () => {
  await using site = await AiEngineEmulator.start({ framing: "apache", nonce: NONCE });
  const asked = await submit(site, ask("Hello", false), { Connection: "close" });
  const failed = await submit(site, ask("Hello __fake:500", false));
  for (const answer of [asked, failed]) {
    assert.match(answer.head, /\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n/);
    assert.doesNotMatch(answer.head, /Keep-Alive/);
    assert.ok(answer.complete);
  }
});

for (const framing of ["apache", "chunk-per-event"] as const) {
  Deno.test(`${framing} framing: a reset hangs up without the last chunk`, async () => {
    await using site = await AiEngineEmulator.start({ framing, nonce: NONCE });
    const answer = await submit(site, ask("Hello __fake:reset"));
    assert.equal(answer.complete, false);
    assert.equal(answer.content.split('"type":"live"').length, 3);
    assert.ok(!answer.body.endsWith("0\r\n\r\n"));
  });

  Deno.test(`${framing} framing: chunkedcut hangs up inside a declared chunk`, async () => {
    await using site = await AiEngineEmulator.start({ framing, nonce: NONCE });
    const answer = await submit(site, ask("Hello __fake:chunkedcut"));
    assert.equal(answer.complete, false);
    assert.ok(answer.body.endsWith('40\r\ndata: {"type":"live"'));
  });

  Deno.test(`${framing} framing: noend ends the body cleanly, without an end event`, async () => {
    await using site = await AiEngineEmulator.start({ framing, nonce: NONCE });
    const answer = await submit(site, ask("Hello __fake:noend"));
    assert.ok(answer.complete);
    assert.ok(!answer.content.includes('"type":"end"'));
  });
}

Deno.test("chunk-per-event framing: each event is one whole chunk", async () => {
  await using site = await AiEngineEmulator.start({ framing: "chunk-per-event", nonce: NONCE });
  const answer = await submit(site, ask("Hello"));
  const chunks = chunksPerRead([answer.text]).flat();
  assert.equal(chunks.length, 8);
  for (const chunk of chunks) assert.match(chunk, /^data: \{"type":"(live|end)".*\}\n\n$/);
  assert.match(answer.head, /\r\nConnection: Keep-Alive\r\nTransfer-Encoding: chunked\r\n/);
});

Deno.test("close framing: the bodies end with the connection, as PHP's built-in server does", async () => {
  await using site = await AiEngineEmulator.start({ framing: "close", nonce: NONCE });
  const streamed = await submit(site, ask("Hello"));
  const reset = await submit(site, ask("Hello __fake:reset"));
  for (const answer of [streamed, reset]) {
    assert.doesNotMatch(answer.head, /transfer-encoding|keep-alive/i);
    assert.ok(answer.complete, "a close looks like the end");
  }
  assert.ok(streamed.body.endsWith('"}\n\n'));
});

Deno.test("MWAI_EMULATOR_FRAMING picks the default framing, and a typo throws", () => {
  const saved = Deno.env.get("MWAI_EMULATOR_FRAMING");
  try {
    for (const framing of ["apache", "close", "chunk-per-event"] satisfies SiteFraming[]) {
      Deno.env.set("MWAI_EMULATOR_FRAMING", framing);
      assert.equal(defaultFraming(), framing);
    }
    Deno.env.delete("MWAI_EMULATOR_FRAMING");
    assert.equal(defaultFraming(), "apache");
    Deno.env.set("MWAI_EMULATOR_FRAMING", "apach");
    assert.throws(() => defaultFraming(), /Invalid MWAI_EMULATOR_FRAMING: "apach"/);
  } finally {
    if (saved === undefined) Deno.env.delete("MWAI_EMULATOR_FRAMING");
    else Deno.env.set("MWAI_EMULATOR_FRAMING", saved);
  }
});
