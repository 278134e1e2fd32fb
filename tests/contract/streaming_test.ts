/**
 * What only a real runtime shows: compression that would hold text back, clients that
 * leave, and how a body cut after its first text ends on the wire. Each step runs in
 * every runtime; where workerd cannot do what Deno does, a step named for it pins
 * today's behaviour (see docs/runtimes.md, "Deno and Workers: the differences").
 */
import assert from "node:assert/strict";
import type { EmulatorOptions } from "../emulator/ai_engine_emulator.ts";
import { type Gateway, RUNTIME, startGateway } from "./gateway.ts";
import { ANSWER, post, readTimed, sseData } from "./http_client.ts";

/** What browsers send: runtimes and CDNs compress for them unless told not to. */
const COMPRESSIBLE = { "accept-encoding": "gzip, br" };
const CHAT = { message: "Hello" };
const COMPLETION = { stream: true, messages: [{ role: "user", content: "Hello" }] };
const FACES = [["/api/chat", CHAT], ["/v1/chat/completions", COMPLETION]] as const;

Deno.test("streaming in the real runtime", async (t) => {
  await using gw = await startGateway({ UPSTREAM_TIMEOUT_MS: "20000" });
  const playing = (options: EmulatorOptions, fn: () => Promise<void>) =>
    gw.site.playing(options, fn);
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

/** How long after the client left its abort reached the site, in ms. */
async function abortLatency(gw: Gateway, path: string, body: unknown): Promise<number> {
  const before = gw.site.aborts;
  const controller = new AbortController();
  const response = await post(gw.base, path, body, { signal: controller.signal });
  await response.body!.getReader().read(); // the first text; then the model falls silent
  await new Promise((resolve) => setTimeout(resolve, 100));
  const left = performance.now();
  controller.abort();
  await gw.site.waitForAborts(before + 1, 10_000);
  return performance.now() - left;
}

Deno.test("a client that leaves an SSE answer while the model is silent is noticed thanks to keep-alives", async (t) => {
  const keepAliveMs = 1000;
  await using gw = await startGateway({
    UPSTREAM_TIMEOUT_MS: "20000",
    SSE_KEEPALIVE_MS: String(keepAliveMs),
  });
  const silent = {
    stream: true,
    messages: [{ role: "user", content: "Hello __fake:stall:1" }],
  };

  await t.step("the silence is filled with `: keep-alive` comments", async () => {
    const controller = new AbortController();
    const response = await post(gw.base, "/v1/chat/completions", silent, {
      signal: controller.signal,
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const start = performance.now();
    while (!text.includes(": keep-alive\n\n") && performance.now() - start < 3 * keepAliveMs) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    controller.abort();
    await reader.cancel().catch(() => {});
    assert.match(text, /\n\n: keep-alive\n\n/);
  });

  // Deno notices at once. workerd notices when a write fails, and the first write after
  // the client left still succeeds: the second keep-alive fails, so 1 to 2 intervals.
  const bound = RUNTIME === "workerd" ? 2 * keepAliveMs + 500 : 500;
  await t.step(
    `${RUNTIME}: the abort reaches the site within ${bound} ms`,
    async () => {
      const latencies = [];
      for (let i = 0; i < 3; i++) {
        latencies.push(await abortLatency(gw, "/v1/chat/completions", silent));
      }
      const worst = Math.max(...latencies);
      assert.ok(worst < bound, `aborts reached the site after ${latencies.map(Math.round)} ms`);
      console.log(
        `abort latency on ${RUNTIME}, SSE_KEEPALIVE_MS=${keepAliveMs}: ${
          latencies.map(Math.round).join(", ")
        } ms`,
      );
    },
  );
});
