import assert from "node:assert/strict";
import { AiEngineEmulator } from "./ai_engine_emulator.ts";
import { basicAuthAnswer } from "./basic_auth.ts";

const REQUIRED = { user: "ann", password: "pw" };

Deno.test("basic auth: a request without the credentials gets the web server's 401, WordPress none", () => {
  for (
    const headers of [new Headers(), new Headers({ authorization: `Basic ${btoa("ann:no")}` })]
  ) {
    const [step] = basicAuthAnswer(headers, REQUIRED)!;
    assert.equal(step?.kind, "write");
    const data = (step as { data: string }).data;
    assert.match(data, /^HTTP\/1\.1 401 /);
    assert.match(data, /\r\nWWW-Authenticate: Basic realm="Staging"\r\n/);
  }
  const right = new Headers({ authorization: `Basic ${btoa("ann:pw")}` });
  assert.equal(basicAuthAnswer(right, REQUIRED), null);
  assert.equal(basicAuthAnswer(new Headers(), null), null, "no auth asked, none needed");
});

Deno.test("basic auth: the emulator answers start_session only with the credentials", async () => {
  await using site = await AiEngineEmulator.start({ nonce: "55b8d074d1", basicAuth: REQUIRED });
  const url = `${site.restUrl}/mwai/v1/start_session`;
  const refused = await fetch(url, { method: "POST" });
  assert.equal(refused.status, 401);
  await refused.body?.cancel();
  const authorization = `Basic ${btoa("ann:pw")}`;
  const letIn = await fetch(url, { method: "POST", headers: { authorization } });
  assert.equal((await letIn.json()).restNonce, "55b8d074d1");
  assert.equal(site.sessionsStarted, 1);
});

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
