/**
 * The gateway as its users run it, in a child process: `deno serve main.ts`, or
 * `wrangler dev` for Cloudflare's workerd.
 */
import type { Variables } from "../../lib/gateway/config.ts";

/** A gateway process, its address and what it printed. */
export interface ChildGateway {
  base: string;
  logs(): Promise<Record<string, unknown>[]>;
  /** Everything the process printed so far, stdout and stderr. */
  output(): Promise<string>;
  close(): Promise<void>;
}

const ROOT = new URL("../../", import.meta.url).pathname;
const DENO = Deno.execPath();

/**
 * Starts `main.ts` in `runtime` with `vars` as its configuration. A process that exits
 * while starting (on a loaded machine `wrangler dev` now and then does, a port it chose
 * having been taken meanwhile) is started once more, on another port.
 */
export async function startChildGateway(
  runtime: "deno" | "workerd",
  vars: Variables,
): Promise<ChildGateway> {
  try {
    return await startOnce(runtime, vars);
  } catch (error) {
    if (!(error instanceof ExitedWhileStarting)) throw error;
    return await startOnce(runtime, vars);
  }
}

/** The process ended before it served: what it printed is in the message. */
class ExitedWhileStarting extends Error {}

async function startOnce(runtime: "deno" | "workerd", vars: Variables): Promise<ChildGateway> {
  const port = freePort();
  const command = runtime === "deno" ? denoServe(port, vars) : wranglerDev(port, vars);
  const child = command.spawn();
  const output: string[] = [];
  const reading = collect(child.stdout, output);
  const errors = collect(child.stderr, output);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(base, child);
  } catch (error) {
    const exited = error instanceof Error && error.message === EXITED;
    try {
      child.kill();
    } catch {
      // It has exited already.
    }
    await Promise.allSettled([child.status, reading, errors]);
    const Failure = exited ? ExitedWhileStarting : Error;
    throw new Failure(`${runtime} gateway did not start:\n${output.join("").slice(-2000)}`, {
      cause: error,
    });
  }
  return {
    base,
    logs: () => Promise.resolve(parseLogLines(output.join(""))),
    output: () => Promise.resolve(output.join("")),
    close: async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // It has exited already.
      }
      await Promise.allSettled([child.status, reading, errors]);
    },
  };
}

/** The arguments of `deno serve` for `module` on a loopback port, as users run it. */
export function denoServeArgs(
  port: number,
  module = "main.ts",
  permissions = ["--allow-net", "--allow-env"],
): string[] {
  return [
    "serve",
    "--unstable-no-legacy-abort",
    ...permissions,
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    module,
  ];
}

function denoServe(port: number, vars: Variables): Deno.Command {
  return new Deno.Command(DENO, {
    args: denoServeArgs(port),
    cwd: ROOT,
    env: definedOnly(vars),
    clearEnv: false,
    stdout: "piped",
    stderr: "piped",
  });
}

function wranglerDev(port: number, vars: Variables): Deno.Command {
  const varArgs = Object.entries(definedOnly(vars)).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  return new Deno.Command("bash", {
    args: [
      `${ROOT}scripts/wrangler.sh`,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      ...varArgs,
    ],
    cwd: ROOT,
    env: {
      CI: "1",
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
    stdout: "piped",
    stderr: "piped",
  });
}

function definedOnly(vars: Variables): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function collect(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
  for await (const text of stream.pipeThrough(new TextDecoderStream())) into.push(text);
}

const EXITED = "the process exited";

async function waitUntilServing(base: string, child: Deno.ChildProcess): Promise<void> {
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`${base}/healthz`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(exited ? EXITED : "no answer within 60 s");
}

function parseLogLines(text: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    const start = line.indexOf('{"time"');
    if (start === -1) continue;
    try {
      lines.push(JSON.parse(line.slice(start)));
    } catch {
      // a line that only looks like a log line
    }
  }
  return lines;
}
