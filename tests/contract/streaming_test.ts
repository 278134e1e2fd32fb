/**
 * What only a real runtime shows: compression that would hold text back, clients that
 * leave, and how a body cut after its first text ends on the wire. Each step runs in
 * every runtime; where workerd cannot do what Deno does, a step named for it pins
 * today's behaviour (see docs/runtimes.md, "Deno and Workers: the differences").
 */
import assert from "node:assert/strict";
import type { EmulatorOptions } from "../emulator/ai_engine_emulator.ts";
import { RUNTIME, startGateway } from "./gateway.ts";
import { ANSWER, post, readTimed, sseData } from "./http_client.ts";

/** What browsers send: runtimes and CDNs compress for them unless told not to. */
const COMPRESSIBLE = { "accept-encoding": "gzip, br" };
const CHAT = { message: "Hello" };
const COMPLETION = { stream: true, messages: [{ role: "user", content: "Hello" }] };
const FACES = [["/api/chat", CHAT], ["/v1/chat/completions", COMPLETION]] as const;

Deno.test("streaming in the real runtime", async (t) => {
  await using gw = await startGateway({ UPSTREAM_TIMEOUT_MS: "20000" });
  /** Runs `fn` with the site playing `options`, then restores them. */
  const playing = async (options: EmulatorOptions, fn: () => Promise<void>) => {
    const saved = { ...gw.site.options };
    Object.assign(gw.site.options, options);
    try {
      await fn();
    } finally {
      gw.site.options = saved;
    }
  };
  /** Starts a chat, lets it run `afterMs` (or until its first text), then leaves. */
  const leave = async (path: string, body: unknown, afterMs: number | "first text") => {
    const controller = new AbortController();
    const pending = post(gw.base, path, body, { signal: controller.signal });
    if (afterMs === "first text") await (await pending).body!.getReader().read();
    else {
      pending.catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, afterMs));
    }
    controller.abort();
  };
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  for (const [path, body] of FACES) {
    await t.step(
      `${path}: with Accept-Encoding gzip, br the first text comes while the site still writes`,
      () =>
        playing({ pieceDelayMs: 150 }, async () => {
          // 7 pieces 150 ms apart: the site writes for over a second.
          const start = performance.now();
          const response = await post(gw.base, path, body, { headers: COMPRESSIBLE });
          assert.equal(response.status, 200);
          const encoding = response.headers.get("content-encoding");
          assert.ok(encoding === null || encoding === "identity", `compressed as ${encoding}`);
          const chunks = await readTimed(response, start);
          const first = chunks.find((chunk) => /[a-zа-я]/i.test(chunk.text))!.at;
          const last = chunks.at(-1)!.at;
          assert.ok(chunks.length >= 4, `${chunks.length} chunks: the answer was held back`);
          assert.ok(last - first >= 600, `first text at ${first} ms, the end at ${last} ms`);
        }),
    );
  }

  for (const [path, body] of FACES) {
    await t.step(
      `${path}: a client that leaves while text flows aborts the upstream`,
      () =>
        playing({ pieceDelayMs: 200 }, async () => {
          const before = gw.site.aborts;
          await leave(path, body, "first text");
          await gw.site.waitForAborts(before + 1, 1000);
        }),
    );
  }

  if (RUNTIME === "workerd") {
    // workerd learns that a client left only when it writes to it (request.signal with
    // enable_request_signal included): while the gateway has nothing to write, the upstream
    // runs on. Pinned here; docs/runtimes.md explains.
    await t.step(
      "workerd: a client that leaves before the answer begins is noticed at the first text",
      () =>
        playing({ headersDelayMs: 2000, pieceDelayMs: 300 }, async () => {
          const before = gw.site.aborts;
          await leave("/api/chat", CHAT, 300);
          await settle(1200);
          assert.equal(gw.site.aborts, before, "workerd now notices at once: unpin this step");
          await gw.site.waitForAborts(before + 1, 4000);
        }),
    );
    await t.step(
      "workerd: a client that leaves while the site is silent is noticed at the next text",
      () =>
        playing({ pieceDelayMs: 2500 }, async () => {
          const before = gw.site.aborts;
          await leave("/api/chat", CHAT, "first text");
          await settle(1000);
          assert.equal(gw.site.aborts, before, "workerd now notices at once: unpin this step");
          await gw.site.waitForAborts(before + 1, 2 * 2500 + 1000);
        }),
    );
  } else {
    await t.step(
      "a client that leaves before the answer begins aborts the upstream",
      () =>
        playing({ headersDelayMs: 10_000 }, async () => {
          const before = gw.site.aborts;
          await leave("/api/chat", CHAT, 300);
          await gw.site.waitForAborts(before + 1, 1000);
        }),
    );
    await t.step(
      "a client that leaves while the site is silent aborts the upstream",
      () =>
        playing({ pieceDelayMs: 2500 }, async () => {
          const before = gw.site.aborts;
          await leave("/api/chat", CHAT, "first text");
          await gw.site.waitForAborts(before + 1, 1000);
        }),
    );
  }

  await t.step(
    "a failure right after the first text is 200, that text, then a cut: never a bare 500",
    async () => {
      const response = await post(gw.base, "/api/chat", { message: "Hello __fake:malformed:1" });
      assert.equal(response.status, 200);
      let text = "";
      await assert.rejects(async () => {
        for await (const piece of response.body!.pipeThrough(new TextDecoderStream())) {
          text += piece;
        }
      });
      assert.ok(text !== "" && ANSWER.startsWith(text), `text before the cut: ${text}`);
    },
  );

  await t.step(
    "on the wire, a cut text answer lacks HTTP/1.1's last chunk, so clients see an error",
    async () => {
      const wire = await rawChat(gw.base, "Hello __fake:cut");
      assert.match(wire, /^HTTP\/1\.1 200 /);
      assert.match(wire, /\r\ntransfer-encoding: chunked\r\n/i);
      assert.ok(!wire.endsWith("\r\n0\r\n\r\n"), "the cut body ended like a whole one");
      const whole = await rawChat(gw.base, "Hello");
      assert.ok(whole.endsWith("\r\n0\r\n\r\n"), "a whole answer ends with the last chunk");
    },
  );

  await t.step("a cut SSE answer ends with an error event and no [DONE]", async () => {
    const response = await post(gw.base, "/v1/chat/completions", {
      ...COMPLETION,
      messages: [{ role: "user", content: "Hello __fake:reset:2" }],
    }, { headers: COMPRESSIBLE });
    const data = sseData(await response.text());
    assert.equal(JSON.parse(data.at(-1)!).error.code, "upstream_truncated");
    assert.ok(!data.includes("[DONE]"));
  });
});

/** POSTs to /api/chat over a bare connection and returns every byte until the server closes. */
async function rawChat(base: string, message: string): Promise<string> {
  const { hostname, port } = new URL(base);
  const body = JSON.stringify({ message });
  using conn = await Deno.connect({ hostname, port: Number(port) });
  const head = [
    "POST /api/chat HTTP/1.1",
    `Host: ${hostname}:${port}`,
    "Content-Type: application/json",
    `Content-Length: ${new TextEncoder().encode(body).length}`,
    "Connection: close",
  ].join("\r\n");
  await conn.write(new TextEncoder().encode(`${head}\r\n\r\n${body}`));
  let wire = "";
  const decoder = new TextDecoder();
  try {
    const buffer = new Uint8Array(16 * 1024);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      wire += decoder.decode(buffer.subarray(0, n), { stream: true });
    }
  } catch {
    // A reset instead of a close: the bytes before it are the answer.
  }
  return wire;
}
