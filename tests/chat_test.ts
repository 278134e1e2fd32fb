/**
 * The library (lib/mod.ts) as its users call it: in process, from the examples that
 * docs/library.md shows, and from Node through tsx.
 */
import assert from "node:assert/strict";
import { AiEngineError, AiEngineSession, chat } from "../lib/mod.ts";
import { AiEngineEmulator } from "./emulator/ai_engine_emulator.ts";
import { ANSWER } from "./contract/http_client.ts";
import { assertShown } from "./examples/docs.ts";

const ROOT = new URL("../", import.meta.url);
const hello = [{ role: "user" as const, content: "Hello" }];

Deno.test("chat() streams text, and done gives the whole answer with its usage", async () => {
  await using site = await AiEngineEmulator.start();
  const answer = chat({ site: site.url, messages: hello });
  const pieces: string[] = [];
  for await (const text of answer) pieces.push(text);
  assert.equal(pieces.join(""), ANSWER);
  assert.ok(pieces.length > 1);
  const done = await answer.done;
  assert.equal(done.reply, ANSWER);
  assert.equal(done.model, "default");
  assert.ok(done.usage && (done.usage.total_tokens ?? 0) > 0);
});

Deno.test("a sessionId makes the caller's end user one visitor on the site; a bad one throws at once", async () => {
  await using site = await AiEngineEmulator.start();
  for (let i = 0; i < 2; i++) {
    await chat({ site: site.url, messages: hello, sessionId: "user-4711-abcdef" }).done;
  }
  assert.deepEqual(site.queries.map((query) => query.session), [
    "user-4711-abcdef",
    "user-4711-abcdef",
  ]);
  for (const sessionId of ["a; wordpress_logged_in=1", "short", "x".repeat(57)]) {
    assert.throws(() => chat({ site: site.url, messages: hello, sessionId }), TypeError);
  }
  assert.equal(site.submits.length, 2);
});

Deno.test("done alone reads the answer; textStream is the same text as a stream", async () => {
  await using site = await AiEngineEmulator.start();
  assert.equal((await chat({ site: site.url, messages: hello }).done).reply, ANSWER);
  const stream = chat({ site: site.url, messages: hello }).textStream;
  assert.equal((await Array.fromAsync(stream)).join(""), ANSWER);
});

Deno.test("failures are AiEngineErrors told apart by type, from done and from iteration", async () => {
  await using site = await AiEngineEmulator.start({ pieceDelayMs: 0 });
  const ask = (content: string) =>
    chat({ site: site.url, timeoutMs: 300, messages: [{ role: "user", content }] });
  const typeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => "none",
      (error) => error instanceof AiEngineError ? error.type : String(error),
    );
  assert.equal(await typeOf(ask("").done), "rejected");
  assert.equal(await typeOf(ask("Hi __fake:429").done), "rate_limited");
  assert.equal(await typeOf(ask("Hi __fake:500").done), "upstream_failed");
  assert.equal(await typeOf(ask("Hi __fake:stall:0").done), "timeout");
  assert.equal(await typeOf(Array.fromAsync(ask("Hi __fake:noend"))), "truncated");
  assert.equal(
    await typeOf(ask("Hi __fake:reset").started.then((s) => Array.fromAsync(s))),
    "truncated",
  );
});

Deno.test("a shared session makes one start_session for many calls", async () => {
  await using site = await AiEngineEmulator.start();
  const session = new AiEngineSession({ restUrl: site.restUrl });
  await Promise.all(
    [1, 2, 3, 4].map(() => chat({ site: site.url, session, messages: hello }).done),
  );
  assert.equal(site.sessionsStarted, 1);
});

Deno.test("a custom fetch carries every request, and a signal aborts the upstream", async () => {
  await using site = await AiEngineEmulator.start({ pieceDelayMs: 100 });
  const seen: string[] = [];
  const traced: typeof fetch = (input, init) => {
    seen.push(new URL(input instanceof Request ? input.url : input).pathname);
    return fetch(input, init);
  };
  const controller = new AbortController();
  const answer = chat({
    site: site.url,
    fetch: traced,
    signal: controller.signal,
    messages: hello,
  });
  const reader = answer.textStream.getReader();
  await reader.read();
  controller.abort();
  await assert.rejects(reader.read());
  await assert.rejects(answer.done);
  await site.waitForAborts(1, 1000);
  assert.deepEqual(seen, ["/wp-json/mwai/v1/start_session", "/wp-json/mwai-ui/v1/chats/submit"]);
});

Deno.test("a call with its own fetch keeps to it, start_session included", async () => {
  await using site = await AiEngineEmulator.start();
  await chat({ site: site.url, messages: hello }).done;
  const seen: string[] = [];
  const own: typeof fetch = (input, init) => {
    seen.push(new URL(String(input)).pathname);
    return fetch(input, init);
  };
  await chat({ site: site.url, fetch: own, messages: hello }).done;
  assert.deepEqual(seen, ["/wp-json/mwai/v1/start_session", "/wp-json/mwai-ui/v1/chats/submit"]);
});

async function run(command: string, args: string[], env: Record<string, string>) {
  const output = await new Deno.Command(command, {
    args,
    env,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(
    output.code,
    0,
    `${command} ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`,
  );
  return stdout;
}

Deno.test("the hello example prints the answer piece by piece", async () => {
  await using site = await AiEngineEmulator.start();
  const stdout = await run(Deno.execPath(), [
    "run",
    "--allow-net",
    "--allow-env",
    "examples/hello.ts",
  ], {
    AI_ENGINE_URL: site.url,
  });
  const lines = stdout.trimEnd().split("\n");
  assert.ok(lines.length > 1);
  assert.equal(lines.join(""), ANSWER);
});

Deno.test("the library example runs a conversation and tells a rejection apart", async () => {
  await using site = await AiEngineEmulator.start();
  const stdout = await run(
    Deno.execPath(),
    ["run", "--allow-net", "examples/library.ts", site.url],
    {},
  );
  assert.ok(stdout.includes(`${ANSWER.length} characters`), stdout);
  assert.match(stdout, /Rejected: Sorry, your query has been rejected\./);
  assert.equal(site.sessionsStarted, 1);
});

Deno.test("the library works from Node 20+ through tsx", async () => {
  await using site = await AiEngineEmulator.start();
  const stdout = await run("npx", ["-y", "tsx@4.23.15", "examples/node_hello.mjs"], {
    AI_ENGINE_URL: site.url,
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "",
  });
  assert.equal(stdout.trimEnd().split("\n").join(""), ANSWER);
});

Deno.test("docs/library.md shows the examples exactly as they are tested", async () => {
  await assertShown("docs/library.md", "examples/hello.ts", "ts");
  await assertShown("docs/library.md", "examples/library.ts", "ts");
  await assertShown("docs/library.md", "examples/node_hello.mjs", "js");
});

Deno.test("leaving a for-await loop early stops the answer and its upstream request", async () => {
  await using site = await AiEngineEmulator.start({ pieceDelayMs: 100 });
  for await (const _ of chat({ site: site.url, messages: hello })) break;
  await site.waitForAborts(1, 1000);
});
