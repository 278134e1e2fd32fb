/**
 * Bots that think before they write: a reasoning model or a hosted tool sends nothing,
 * headers included, for minutes, and may fall silent mid-answer for a tool call. Every
 * limit is the default scaled down a hundredfold (the same code path): 45 s is 450 ms.
 */
import assert from "node:assert/strict";
import { RUNTIME, startGateway } from "./gateway.ts";
import { ANSWER, assertError, post, sseData } from "./http_client.ts";

/** The defaults, a hundredfold shorter. */
const SCALED = {
  UPSTREAM_CONNECT_TIMEOUT_MS: "100",
  UPSTREAM_TIMEOUT_MS: "1200",
  FIRST_TEXT_TIMEOUT_MS: "3000",
  ANSWER_TIMEOUT_MS: "6000",
};

/** The answer text of a streamed chat completion. */
function completionText(body: string): string {
  return sseData(body).filter((data) => data !== "[DONE]").map((data) =>
    JSON.parse(data).choices[0]?.delta?.content ?? ""
  ).join("");
}

Deno.test("answers that take time to think arrive under the default limits", async (t) => {
  await using gw = await startGateway(SCALED);
  const playing = (options: Parameters<typeof gw.site.playing>[0], fn: () => Promise<void>) =>
    gw.site.playing(options, fn);

  for (const [seconds, delay] of [[45, 450], [100, 1000]] as const) {
    await t.step(
      `headers with the first text after ${seconds} s: every face answers`,
      () =>
        playing({ headersDelayMs: delay }, async () => {
          const started = performance.now();
          const text = await post(gw.base, "/api/chat", { message: "Hello" });
          // What a client sees while the site thinks: nothing, not even the head.
          assert.ok(performance.now() - started >= delay - 5, "the head came before the text");
          assert.equal(await text.text(), ANSWER);
          const sse = await post(gw.base, "/v1/chat/completions", {
            messages: [{ role: "user", content: "Hello" }],
            stream: true,
          });
          assert.equal(completionText(await sse.text()), ANSWER);
          const json = await post(gw.base, "/api/webhook", { message: "Hello" });
          assert.equal((await json.json()).reply, ANSWER.trim());
        }),
    );
  }

  await t.step(
    "headers later than UPSTREAM_TIMEOUT_MS still arrive: that limit is silence once begun",
    () =>
      playing({ headersDelayMs: 1500 }, async () => {
        const response = await post(gw.base, "/api/chat", { message: "Hello" });
        assert.equal(await response.text(), ANSWER);
      }),
  );

  await t.step(
    "a 40 s silence mid-answer (a tool call) passes",
    () =>
      playing({ midAnswerPause: { afterPieces: 2, ms: 400 } }, async () => {
        const started = performance.now();
        const response = await post(gw.base, "/api/chat", { message: "Hello" });
        assert.equal(await response.text(), ANSWER);
        assert.ok(performance.now() - started >= 400, "the pause was not played");
      }),
  );

  await t.step(
    "a silence mid-answer past UPSTREAM_TIMEOUT_MS still fails, at that limit",
    () =>
      playing({ midAnswerPause: { afterPieces: 2, ms: 5000 } }, async () => {
        const started = performance.now();
        const response = await post(gw.base, "/api/chat", { message: "Hello" });
        assert.equal(response.status, 200);
        await assert.rejects(response.text());
        const elapsed = performance.now() - started;
        assert.ok(elapsed >= 1150 && elapsed < 3000, `failed after ${elapsed} ms`);
      }),
  );
});

Deno.test("a site that never answers still fails at the limit it was given", async () => {
  await using gw = await startGateway(SCALED, { headersDelayMs: 60_000 });
  const started = performance.now();
  const response = await post(gw.base, "/api/chat", { message: "Hello" });
  const elapsed = performance.now() - started;
  const error = await assertError(response, 504, "upstream_first_text_timeout");
  assert.equal(error.message, "AI Engine sent no answer text within 3000 ms");
  assert.ok(elapsed >= 2950, `gave up after ${elapsed} ms, before its limit`);
  // A child runtime adds its own start-up to the first request; the limit itself is kept.
  assert.ok(elapsed < (RUNTIME === "inprocess" ? 4000 : 6000), `failed after ${elapsed} ms`);
  await gw.site.waitForAborts(1, 2000);
});

Deno.test("a site that is down, or dies before it answers, fails at once", async () => {
  await using gw = await startGateway(SCALED);
  const started = performance.now();
  const died = await post(gw.base, "/api/chat", { message: "Hello __fake:reset:0" });
  assert.equal(died.status, 502);
  assert.equal((await died.json()).error.code, "upstream_truncated");
  assert.ok(performance.now() - started < 1000, "a dead site was waited for");
  await using down = await startGateway((site) => ({
    ...SCALED,
    AI_ENGINE_URL: site.url.replace(/:\d+$/, ":9"),
  }));
  const before = performance.now();
  await assertError(
    await post(down.base, "/api/chat", { message: "Hello" }),
    502,
    "upstream_unreachable",
  );
  assert.ok(performance.now() - before < 2000, "a refused connection was waited for");
});
