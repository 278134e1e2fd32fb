/**
 * README's commands: `deno task start` and `deno task demo`, as a user runs them, and the
 * first screen of README that shows them.
 */
import assert from "node:assert/strict";
import { AiEngineEmulator } from "./emulator/ai_engine_emulator.ts";
import { denoServeArgs } from "./contract/child_gateway.ts";
import { post } from "./contract/http_client.ts";

const ROOT = new URL("../", import.meta.url).pathname;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.close();
  return (listener.addr as Deno.NetAddr).port;
}

/** Runs a deno task with env, until `ready` holds for its base URL; then stops it. */
async function withTask(
  task: string,
  env: Record<string, string>,
  use: (base: string, output: () => string) => Promise<void>,
): Promise<void> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", task],
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const decoder = new TextDecoder();
  const reading = Promise.all([child.stdout, child.stderr].map(async (stream) => {
    for await (const chunk of stream) output += decoder.decode(chunk);
  }));
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 200; i++) {
      const up = await fetch(`${base}/healthz`).then(
        (r) => r.body?.cancel().then(() => r.ok),
        () => false,
      );
      if (up) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await use(base, () => output);
  } finally {
    child.kill();
    await child.status;
    await reading;
  }
}

Deno.test("README's first screen shows the demo and the tests, then how to serve a site", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const firstScreen = readme.split("\n").slice(0, 24).join("\n");
  const blocks = [...firstScreen.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  const commands = (block = "") =>
    block.split("\n").filter(Boolean).map((l) => l.split("#")[0]!.trim());
  assert.deepEqual(commands(blocks[0]), [
    "npx -y deno@2.9.6 task demo",
    "npx -y deno@2.9.6 task test",
  ]);
  assert.deepEqual(commands(blocks[1]), [
    "AI_ENGINE_URL=https://your-site.example npx -y deno@2.9.6 task start",
  ]);
});

Deno.test("deno task start serves the site named by AI_ENGINE_URL on PORT", async () => {
  await using site = await AiEngineEmulator.start();
  await withTask("start", { AI_ENGINE_URL: site.url }, async (base, output) => {
    const response = await post(base, "/api/chat", { message: "Hello" });
    assert.equal(await response.text(), "Привет, мир! 👋 The answer is 42.");
    assert.match(output(), /API_KEYS is unset/);
  });
});

Deno.test("deno task start refuses a bad variable at start-up, naming it", async () => {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["task", "start"],
    cwd: ROOT,
    env: { MAX_BODY_BYTES: "lots", PORT: String(freePort()) },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(result.code, 1);
  assert.match(new TextDecoder().decode(result.stderr), /Invalid MAX_BODY_BYTES: "lots"/);
});

Deno.test("deno task demo chats offline and says its answers are the emulator's", async () => {
  await withTask("demo", {}, async (base, output) => {
    const page = await (await fetch(base)).text();
    assert.match(page, /Offline demo/);
    const text = await (await post(base, "/api/chat", { message: "Hello" })).text();
    assert.match(text, /offline demo/);
    assert.match(output(), /Offline demo: answers come from the AI Engine emulator/);
  });
});

Deno.test("deno serve main.ts says a bad variable at start-up, then answers 500 naming it", async () => {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: denoServeArgs(port),
    cwd: ROOT,
    env: { UPSTREAM_TIMEOUT_MS: "soon" },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  while (!output.includes("UPSTREAM_TIMEOUT_MS")) output += (await reader.read()).value ?? "";
  assert.match(output, /"level":"error","message":"Invalid UPSTREAM_TIMEOUT_MS: \\"soon\\"/);
  let response: Response | null = null;
  for (let i = 0; i < 100 && !response; i++) {
    response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (!response) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(response?.status, 500);
  assert.equal((await response!.json()).error.code, "config_error");
  child.kill();
  await reader.cancel();
  await child.status;
});

Deno.test("deno serve main.ts without --allow-env refuses to run open: 500 naming the variable", async () => {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: denoServeArgs(port, "main.ts", ["--allow-net"]),
    cwd: ROOT,
    env: { API_KEYS: "secret-key" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  let response: Response | null = null;
  for (let i = 0; i < 100 && !response; i++) {
    response = await fetch(`http://127.0.0.1:${port}/v1/models`).catch(() => null);
    if (!response) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(response?.status, 500);
  const { error } = await response!.json();
  assert.equal(error.code, "config_error");
  assert.match(error.message, /cannot be read: run Deno with --allow-env/);
  child.kill();
  await child.status;
});
