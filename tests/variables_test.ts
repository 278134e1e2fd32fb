import assert from "node:assert/strict";
import { ConfigError, readVariables, routingPlatform } from "../lib/variables.ts";

const A = "MWAI_TEST_VARIABLE_A";
const B = "MWAI_TEST_VARIABLE_B";
const VARIABLES_URL = new URL("../lib/variables.ts", import.meta.url).href;

/** Runs `body` with these environment variables set (or unset for undefined), then puts them back. */
function withEnv<T>(vars: Record<string, string | undefined>, body: () => T): T {
  const saved = Object.keys(vars).map((name) => [name, Deno.env.get(name)] as const);
  const apply = (entries: Iterable<readonly [string, string | undefined]>) => {
    for (const [name, value] of entries) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  };
  apply(Object.entries(vars));
  try {
    return body();
  } finally {
    apply(saved);
  }
}

Deno.test("readVariables takes the bindings when they hold one of the names, not the environment", () => {
  withEnv({ [A]: "from the environment", [B]: "from the environment" }, () => {
    const vars = readVariables([A, B], { [A]: "from the bindings" });
    assert.deepEqual(vars, { [A]: "from the bindings" });
  });
});

Deno.test("readVariables reads only the names asked from the bindings, and only strings", () => {
  const bindings = { [A]: "a", [B]: 42, OTHER: "o", KV: { get() {} } };
  assert.deepEqual(readVariables([A, B, "KV"], bindings), { [A]: "a" });
});

Deno.test("readVariables takes an object without any of the names (deno serve's handler info) for no bindings", () => {
  withEnv({ [A]: "from the environment" }, () => {
    const info = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 } };
    assert.deepEqual(readVariables([A], info), { [A]: "from the environment" });
    assert.deepEqual(readVariables([A], null), { [A]: "from the environment" });
    assert.deepEqual(readVariables([A], "not bindings"), { [A]: "from the environment" });
  });
});

Deno.test("readVariables reads only the names asked from the environment, leaving unset ones out", () => {
  withEnv({ [A]: "a", [B]: "b" }, () => {
    assert.deepEqual(readVariables([A]), { [A]: "a" });
    assert.deepEqual(readVariables([A, "MWAI_TEST_VARIABLE_UNSET"]), { [A]: "a" });
    assert.deepEqual(readVariables([]), {});
  });
});

Deno.test("readVariables on Deno reads Deno.env, never a process.env beside it", () => {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, "process");
  const fake = { env: { [A]: "from process.env", [B]: "from process.env" } };
  Object.defineProperty(globalThis, "process", { value: fake, configurable: true, writable: true });
  try {
    withEnv({ [A]: "from Deno.env", [B]: undefined }, () => {
      assert.deepEqual(readVariables([A, B]), { [A]: "from Deno.env" });
    });
  } finally {
    if (descriptor) Object.defineProperty(globalThis, "process", descriptor);
    else delete (globalThis as { process?: unknown }).process;
  }
});

/** A `deno run` of a script that reads `names` and prints what it got, or the error. */
function childScript(names: string[]): string {
  const code = `import { readVariables } from ${JSON.stringify(VARIABLES_URL)};
try {
  console.log(JSON.stringify(readVariables(${JSON.stringify(names)})));
} catch (error) {
  console.log(JSON.stringify({ name: error.name, variable: error.variable, message: error.message }));
}`;
  return `data:application/typescript,${encodeURIComponent(code).replaceAll("'", "%27")}`;
}

const CHILD_ENV = { AI_ENGINE_URL: "https://child.example", API_KEYS: "k1", NO_COLOR: "1" };

async function runChild(names: string[]): Promise<unknown> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-env=AI_ENGINE_URL", childScript(names)],
    env: CHILD_ENV,
    stdin: "null",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

Deno.test("readVariables reads nothing beyond the names asked: --allow-env for them is enough", async () => {
  assert.deepEqual(await runChild(["AI_ENGINE_URL"]), { AI_ENGINE_URL: "https://child.example" });
});

Deno.test("readVariables refuses a variable Deno may not read as a ConfigError, not as unset", async () => {
  // API_KEYS is set, but unreadable: taken as unset it would leave the API open.
  assert.deepEqual(await runChild(["AI_ENGINE_URL", "API_KEYS"]), {
    name: "ConfigError",
    variable: "API_KEYS",
    message: "Invalid API_KEYS: cannot be read: run Deno with --allow-env",
  });
});

Deno.test("ConfigError names its variable in its message", () => {
  const error = new ConfigError("MAX_BODY_BYTES", '"x" is not a positive whole number');
  assert.ok(error instanceof Error);
  assert.equal(error.name, "ConfigError");
  assert.equal(error.variable, "MAX_BODY_BYTES");
  assert.equal(error.message, 'Invalid MAX_BODY_BYTES: "x" is not a positive whole number');
});

const SCRIPT = "/usr/bin/script";
const hasScript = (() => {
  try {
    return Deno.statSync(SCRIPT).isFile;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "readVariables never prompts for a variable, even on a terminal where Deno would ask",
  ignore: !hasScript, // util-linux `script` gives the child a terminal
  async fn() {
    const deno = `'${Deno.execPath()}' run --allow-env=AI_ENGINE_URL '${
      childScript(["AI_ENGINE_URL", "API_KEYS"])
    }'`;
    // A prompt would wait for an answer that never comes: the timeout ends it.
    const output = await new Deno.Command(SCRIPT, {
      args: ["-qec", deno, "/dev/null"],
      env: CHILD_ENV,
      stdin: "null",
      signal: AbortSignal.timeout(30_000),
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    assert.doesNotMatch(stdout, /Deno requests/);
    assert.match(stdout, /"name":"ConfigError","variable":"API_KEYS"/);
    assert.equal(output.code, 0, stdout);
  },
});

Deno.test("routingPlatform: Deno Deploy by DENO_DEPLOYMENT_ID, else a gateway that serves itself", () => {
  withEnv({ DENO_DEPLOYMENT_ID: undefined }, () => assert.equal(routingPlatform(), null));
  withEnv({ DENO_DEPLOYMENT_ID: "abc123" }, () => assert.equal(routingPlatform(), "Deno Deploy"));
});

Deno.test("routingPlatform: Workers by their user agent", () => {
  const own = Object.getOwnPropertyDescriptor(navigator, "userAgent");
  Object.defineProperty(navigator, "userAgent", {
    value: "Cloudflare-Workers",
    configurable: true,
  });
  try {
    assert.equal(routingPlatform(), "Cloudflare Workers");
  } finally {
    if (own) Object.defineProperty(navigator, "userAgent", own);
    else delete (navigator as { userAgent?: string }).userAgent;
  }
  assert.notEqual(navigator.userAgent, "Cloudflare-Workers");
});
