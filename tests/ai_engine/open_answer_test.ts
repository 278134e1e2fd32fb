import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import { openAnswer } from "../../lib/ai_engine/open_answer.ts";
import { deriveChatId } from "../../lib/ai_engine/chat_id.ts";
import { AiEngineSession } from "../../lib/ai_engine/session/ai_engine_session.ts";
import type { ChatMessage, SubmitRequest, UpstreamTrace } from "../../lib/ai_engine/submit.ts";
import { AiEngineEmulator, DEFAULT_ANSWER } from "../emulator/ai_engine_emulator.ts";
import { readAll } from "../support/answer_readers.ts";
import { until } from "../support/until.ts";

const hello: ChatMessage[] = [{ role: "user", content: "Hello" }];
const GIF = Uint8Array.from(atob("R0lGODlhAQABAAAAACw="), (c) => c.charCodeAt(0));

/** Opens an answer of the emulated `site` to `request` (the default bot, "Hello" by default). */
function ask(
  site: AiEngineEmulator,
  request: Partial<SubmitRequest> = {},
  options: { session?: AiEngineSession; signal?: AbortSignal; trace?: UpstreamTrace } = {},
) {
  const session = options.session ?? new AiEngineSession({ restUrl: site.restUrl, fetch });
  return openAnswer(
    session,
    { botId: "default", messages: hello, ...request },
    { restUrl: site.restUrl, timeoutMs: 5_000, signal: options.signal },
    options.trace,
  );
}

/** The body of the site's last submit. */
const lastSubmit = (site: AiEngineEmulator) => site.submits.at(-1)!.body as Record<string, unknown>;

Deno.test("the answer resolves once begun, and its first chunk is read again first", async () => {
  await using site = await AiEngineEmulator.start();
  const answer = await ask(site);
  assert.equal(site.submits.length, 1);
  const { chunks, text, error } = await readAll(answer);
  assert.equal(error, undefined);
  assert.equal(text, DEFAULT_ANSWER);
  assert.equal(chunks.at(-1)!.finish?.reply, DEFAULT_ANSWER);
  assert.equal(await answer.read(), null);
});

Deno.test("a failure before any text rejects the opening, as the classified error", async () => {
  await using site = await AiEngineEmulator.start();
  const trace: UpstreamTrace = { status: null, events: 0 };
  const failure = await ask(site, { messages: [{ role: "user", content: "__fake:429" }] }, {
    trace,
  })
    .then(() => null, (error: unknown) => error);
  assert.ok(failure instanceof AiEngineError, String(failure));
  assert.equal(failure.type, "rate_limited");
  assert.equal(trace.status, 200, "the trace saw the site's answer");
});

Deno.test("without a chatId the conversation's derived one is sent; a shortcode bot's by its customId", async () => {
  await using site = await AiEngineEmulator.start({ customBots: { abc123: "Custom!" } });
  await readAll(await ask(site));
  assert.equal(lastSubmit(site).chatId, await deriveChatId("default", hello));
  await readAll(await ask(site, { customId: "abc123" }));
  assert.equal(lastSubmit(site).chatId, await deriveChatId("custom:abc123", hello));
  await readAll(await ask(site, { chatId: "mine-1" }));
  assert.equal(lastSubmit(site).chatId, "mine-1");
});

Deno.test("files are uploaded first, and the submit names them", async () => {
  await using site = await AiEngineEmulator.start();
  const files = [{ bytes: GIF, type: "image/gif" }, { bytes: GIF, type: "image/gif" }];
  await readAll(await ask(site, { files }));
  const routes = site.requests.map((request) => request.route);
  assert.deepEqual(routes.filter((route) => route !== "/mwai/v1/start_session"), [
    "/mwai-ui/v1/files/upload",
    "/mwai-ui/v1/files/upload",
    "/mwai-ui/v1/chats/submit",
  ]);
  assert.deepEqual(lastSubmit(site).newFileIds, [...site.files.keys()]);
});

Deno.test("a nonce the site refuses is refreshed once and the question sent again", async () => {
  await using site = await AiEngineEmulator.start();
  const session = new AiEngineSession({ restUrl: site.restUrl });
  await readAll(await ask(site, {}, { session }));
  const fresh = site.rotateNonce();
  const { text } = await readAll(await ask(site, {}, { session }));
  assert.equal(text, DEFAULT_ANSWER);
  assert.deepEqual(site.submits.map((s) => s.headers.get("x-wp-nonce")).slice(1), [
    site.submits[0]!.headers.get("x-wp-nonce"),
    fresh,
  ]);
  assert.equal(site.sessionsStarted, 2);
});

Deno.test("a fresh nonce refused too is nonce_refused, with the site's status, after one retry", async () => {
  await using site = await AiEngineEmulator.start({ startSessionNonce: "notTheSiteNonce1" });
  const failure = await ask(site).then(() => null, (error: unknown) => error);
  assert.ok(failure instanceof AiEngineError, String(failure));
  assert.equal(failure.type, "nonce_refused");
  assert.equal(failure.upstreamStatus, 403);
  assert.equal(site.submits.length, 2);
});

Deno.test("a nonce the site hands out with its answer replaces the session's", async () => {
  await using site = await AiEngineEmulator.start();
  const session = new AiEngineSession({ restUrl: site.restUrl });
  await readAll(await ask(site, {}, { session }));
  const aged = site.ageNonce();
  await readAll(await ask(site, {}, { session }));
  assert.equal(await session.nonce(), aged);
  assert.equal(site.sessionsStarted, 1);
});

Deno.test("cancelling the reader aborts the request to the site", async () => {
  await using site = await AiEngineEmulator.start({ pieceDelayMs: 50, pieces: 20 });
  const answer = await ask(site);
  await answer.cancel(new Error("the client left"));
  await site.waitForAborts(1);
});

Deno.test("aborting the signal before the answer begins rejects the opening and aborts the request", async () => {
  await using site = await AiEngineEmulator.start({ headersDelayMs: 10_000 });
  const controller = new AbortController();
  const opening = ask(site, {}, { signal: controller.signal });
  // Aborted once the site holds the question, before it answers.
  await until(() => site.submits.length === 1, "the site holds the question");
  controller.abort(new Error("the client left"));
  await assert.rejects(() => opening);
  await site.waitForAborts(1);
});
