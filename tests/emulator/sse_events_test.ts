import assert from "node:assert/strict";
import { AiEngineEmulator } from "./ai_engine_emulator.ts";

Deno.test("a silence mid-answer: the pieces before it, a pause, then the rest", async () => {
  await using site = await AiEngineEmulator.start({
    pieceDelayMs: 0,
    midAnswerPause: { afterPieces: 2, ms: 300 },
  });
  const { restNonce } = await (await fetch(`${site.restUrl}/mwai/v1/start_session`, {
    method: "POST",
  })).json();
  const response = await fetch(`${site.restUrl}/mwai-ui/v1/chats/submit`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-wp-nonce": restNonce },
    body: JSON.stringify({ botId: "default", newMessage: "Hello", stream: true }),
  });
  const started = performance.now();
  const lives: number[] = [];
  let buffer = "";
  for await (const text of response.body!.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    const count = buffer.split('"type":"live"').length - 1;
    while (lives.length < count) lives.push(performance.now() - started);
  }
  assert.equal(lives.length, 7);
  assert.ok(lives[1]! < 200, `the second piece came after ${lives[1]} ms`);
  assert.ok(lives[2]! >= 290, `the third piece came after ${lives[2]} ms, before the pause ended`);
});
