/**
 * A bounded load run on loopback: 500 concurrent streams and 2,000 aborted ones through
 * one gateway. It stops by itself, checks that nothing failed, that the site saw every
 * abort, that nothing leaked (Deno's sanitizers) and that memory came back near where it
 * started. It prints its figures.
 */
import assert from "node:assert/strict";
import { startGateway } from "../contract/gateway.ts";
import { ANSWER, leaveAfterFirstText, post } from "../contract/http_client.ts";

const STREAMS = 500;
const ABORTED = 2_000;
const ABORT_BATCH = 250;

const gc = (globalThis as { gc?: () => void }).gc;

function heapMiB(): number {
  gc?.();
  return Deno.memoryUsage().heapUsed / 2 ** 20;
}

Deno.test({
  name: "500 concurrent streams and 2,000 aborted ones: no failure, every abort seen, flat memory",
  ignore: Deno.env.get("MWAI_TEST_RUNTIME") !== undefined &&
    Deno.env.get("MWAI_TEST_RUNTIME") !== "inprocess",
  fn: async () => {
    const started = performance.now();
    await using gw = await startGateway({}, { pieceDelayMs: 20 });
    await post(gw.base, "/api/chat", { message: "Hello" }).then((r) => r.text()); // warm up
    const baseline = heapMiB();

    const answers = await Promise.allSettled(
      Array.from(
        { length: STREAMS },
        () => post(gw.base, "/api/chat", { message: "Hello" }).then((r) => r.text()),
      ),
    );
    const failed = answers.filter((a) => a.status === "rejected" || a.value !== ANSWER);
    assert.equal(failed.length, 0, `${failed.length} of ${STREAMS} streams failed`);
    const streamsDone = performance.now();
    const afterStreams = heapMiB();

    // Answers of 40 pieces 150 ms apart: none can finish before its client leaves.
    gw.site.options.pieces = 40;
    gw.site.options.pieceDelayMs = 150;
    const abortsBefore = gw.site.aborts;
    for (let sent = 0; sent < ABORTED; sent += ABORT_BATCH) {
      await Promise.all(Array.from({ length: ABORT_BATCH }, () => leaveAfterFirstText(gw.base)));
    }
    await gw.site.waitForAborts(abortsBefore + ABORTED, 10_000);
    const abortsDone = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const afterAborts = heapMiB();

    const lines = (await gw.logs()).filter((line) => line.route === "/api/chat");
    assert.equal(lines.length, 1 + STREAMS + ABORTED, "one log line per request");
    const closed = lines.filter((line) => line.error === "client_closed").length;
    assert.equal(closed, ABORTED, "every aborted request is logged as client_closed");
    console.log(JSON.stringify({
      streams: STREAMS,
      streams_seconds: round((streamsDone - started) / 1000),
      aborted: ABORTED,
      aborts_seen_by_site: gw.site.aborts - abortsBefore,
      aborts_seconds: round((abortsDone - streamsDone) / 1000),
      heap_mib: {
        baseline: round(baseline),
        after_streams: round(afterStreams),
        after_aborts: round(afterAborts),
      },
      gc: gc !== undefined,
    }));
    assert.ok(afterAborts - baseline < 24, `heap grew from ${baseline} to ${afterAborts} MiB`);
  },
});

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
