/**
 * The bench's other processes: upstreams and servers each get their own, so that the
 * gateway's memory is its own and no two measured parties share a thread.
 *
 * @module
 */
import { denoServeArgs } from "../../tests/contract/child_gateway.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** A child process serving HTTP. */
export interface ServerProcess extends AsyncDisposable {
  /** e.g. `http://127.0.0.1:8123` */
  url: string;
  pid: number;
  close(): Promise<void>;
}

/** Runs a script that prints its URL as its first line (the upstreams). */
export async function startScript(
  script: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", script],
    cwd: ROOT,
    env: { ...inherited(), ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let printed = "";
  while (!printed.includes("\n")) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`${script} exited before printing its URL`);
    printed += value;
  }
  // Keep draining, so that a chatty child never blocks on a full pipe.
  (async () => {
    while (!(await lines.read()).done) { /* discard */ }
  })().catch(() => {});
  return serverProcess(child, printed.split("\n")[0]!.trim());
}

/** Runs `deno serve` on `module` with `env`, like a user would, and waits for /healthz. */
export async function startServe(
  module: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: denoServeArgs(port, module),
    cwd: ROOT,
    env: { ...inherited(), ...env },
    clearEnv: true,
    // The gateway's log lines are part of its work; /dev/null takes them at no cost to us.
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  await untilHealthy(url, child);
  return serverProcess(child, url);
}

/** A running sampler of one process's resident set size. */
export interface RssSampler {
  /** The latest sample and the highest so far, in bytes (0 until the first sample). */
  readonly latest: number;
  readonly peak: number;
  /** Forgets the peak: the next samples start a new one. */
  resetPeak(): void;
  stop(): Promise<void>;
}

/**
 * Samples `VmRSS` of process `pid` every `intervalMs` (Linux `/proc`). A shell loop does
 * the reading: Deno grants `/proc/<pid>` only with every permission, and one long-lived
 * sampler costs far less than a `ps` per sample.
 */
export function sampleRss(pid: number, intervalMs = 5): RssSampler {
  const loop = `while grep VmRSS /proc/$1/status; do sleep ${intervalMs / 1000}; done`;
  const child = new Deno.Command("sh", { args: ["-c", loop, "sh", String(pid)], stdout: "piped" })
    .spawn();
  const state = { latest: 0, peak: 0 };
  const reading = (async () => {
    let pending = "";
    for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
      const lines = (pending + text).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const kib = /VmRSS:\s+(\d+)\s+kB/.exec(line)?.[1];
        if (!kib) continue;
        state.latest = Number(kib) * 1024;
        state.peak = Math.max(state.peak, state.latest);
      }
    }
  })();
  return {
    get latest() {
      return state.latest;
    },
    get peak() {
      return state.peak;
    },
    resetPeak() {
      state.peak = state.latest;
    },
    async stop() {
      child.kill("SIGTERM");
      await Promise.allSettled([child.status, reading]);
    },
  };
}

/** CPU time (user + system) a process has used so far, in ms (Linux `/proc`). */
export async function cpuMs(pid: number): Promise<number> {
  // Deno grants /proc/<pid> only with every permission; `cat` reads it under --allow-run.
  const output = await new Deno.Command("cat", { args: [`/proc/${pid}/stat`] }).output();
  const stat = new TextDecoder().decode(output.stdout);
  // The command name, in parentheses, may hold spaces: fields count from its end.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
  if (!Number.isFinite(ticks)) throw new Error(`No CPU times for process ${pid}`);
  return (ticks * 1000) / await clockTicksPerSecond();
}

let ticksPerSecond: Promise<number> | undefined;

/** The unit of /proc's CPU times, `getconf CLK_TCK` (100 on every Linux seen so far). */
export function clockTicksPerSecond(): Promise<number> {
  return ticksPerSecond ??= (async () => {
    const output = await new Deno.Command("getconf", { args: ["CLK_TCK"] }).output();
    const ticks = Number(new TextDecoder().decode(output.stdout).trim());
    if (!output.success || !(ticks > 0)) throw new Error("No clock tick rate: getconf CLK_TCK");
    return ticks;
  })();
}

/** A port that was free a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/** Polls `${url}/healthz` until it answers 200; rejects if the child exits or 30 s pass. */
export async function untilHealthy(url: string, child: Deno.ChildProcess): Promise<void> {
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + 30_000;
  while (!exited && Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/healthz`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`${url} did not become healthy (${exited ? "exited" : "timed out"})`);
}

/**
 * The environment every child gets: only what Deno itself needs, and the upstreams'
 * framing. A user's API_KEYS or HTTP_PROXY must not reach the bench's gateways, whose
 * configuration is exactly what the bench passes.
 */
export function inherited(): Record<string, string> {
  const names = [
    "PATH",
    "HOME",
    "DENO_DIR",
    "XDG_CACHE_HOME",
    "TMPDIR",
    "NO_COLOR",
    "MWAI_EMULATOR_FRAMING",
  ];
  return Object.fromEntries(names.flatMap((name) => {
    const value = Deno.env.get(name);
    return value === undefined ? [] : [[name, value]];
  }));
}

/** A child that serves `url`, closed by SIGTERM. */
export function serverProcess(child: Deno.ChildProcess, url: string): ServerProcess {
  const close = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
  };
  return { url, pid: child.pid, close, [Symbol.asyncDispose]: close };
}
