/**
 * A site that compresses its answers (nginx with `text/event-stream` in `gzip_types`,
 * Cloudflare's compression): `gzip`, `br` and `deflate` are decoded and still stream, the
 * first text reaching the client while the site is still writing; a coding that cannot be
 * decoded (`zstd`) is a 502, never a garbled answer.
 */
import assert from "node:assert/strict";
import type { ContentCoding } from "../emulator/ai_engine_emulator.ts";
import { startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";

const CHAT = { message: "Hello" };

Deno.test("compressed answers from the site", async (t) => {
  // A fixed nonce: only the answers are asked of the site, so each coding is met there.
  await using gw = await startGateway((site) => ({ AI_ENGINE_NONCE: site.options.nonce }));

  for (const coding of ["gzip", "br", "deflate"] satisfies ContentCoding[]) {
    await t.step(
      `a ${coding} answer streams: its first text comes before the site's end`,
      () =>
        gw.site.playing({ contentEncoding: coding, pieceDelayMs: 100 }, async () => {
          const before = gw.site.completedSubmits;
          const response = await post(gw.base, "/api/chat", CHAT);
          assert.equal(response.status, 200);
          const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
          let text = "";
          while (!/\p{L}/u.test(text)) {
            const { done, value } = await reader.read();
            assert.ok(!done, `the answer ended before any text: ${JSON.stringify(text)}`);
            text += value;
          }
          assert.equal(gw.site.completedSubmits, before, "the first text waited for the end");
          for (let read = await reader.read(); !read.done; read = await reader.read()) {
            text += read.value;
          }
          assert.equal(text, ANSWER);
          assert.equal(gw.site.completedSubmits, before + 1);
        }),
    );
  }

  await t.step(
    "a zstd answer, which no runtime here decodes, is a 502",
    () =>
      gw.site.playing({ contentEncoding: "zstd" }, async () => {
        const error = await assertError(
          await post(gw.base, "/api/chat", CHAT),
          502,
          "upstream_failed",
        );
        assert.match(error.message, /cannot decode \(zstd\)/);
        assert.doesNotMatch(error.message, /\uFFFD/);
      }),
  );
});
