/**
 * Starts a Worker module of the tests in workerd, through `wrangler dev` (local, offline),
 * with a config of its own in `tests/artifacts/` (the project's `wrangler.toml` is the
 * gateway's), and stops it on dispose.
 *
 * @module
 */

/** A running Worker and its base URL. */
export interface RunningWorker extends AsyncDisposable {
  base: string;
}

const ROOT = new URL("../../../", import.meta.url).pathname;

/** Serves `module` (a file URL) on a free loopback port; resolves once it answers. */
export async function startWorker(module: URL): Promise<RunningWorker> {
  const dir = `${ROOT}tests/artifacts/worker-${crypto.randomUUID()}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/wrangler.toml`,
    [`name = "mwai-edge-test"`, `main = "${module.pathname}"`, `compatibility_date = "2026-11-01"`]
      .join("\n"),
  );
  const port = freePort();
  const child = new Deno.Command("bash", {
    args: [`${ROOT}scripts/wrangler.sh`, "dev", "--config", `${dir}/wrangler.toml`]
      .concat(["--ip", "127.0.0.1", "--port", String(port)]),
    env: { CI: "1", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  const reading = Promise.all([child.stdout, child.stderr].map(async (stream) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) output.push(text);
  }));
  const stop = async () => {
    child.kill("SIGTERM");
    await Promise.allSettled([child.status, reading]);
    await Deno.remove(dir, { recursive: true });
  };
  const base = `http://127.0.0.1:${port}`;
  if (!(await answers(base, child))) {
    await stop();
    throw new Error(`wrangler dev did not start:\n${output.join("").slice(-2000)}`);
  }
  return { base, [Symbol.asyncDispose]: stop };
}

async function answers(base: string, child: Deno.ChildProcess): Promise<boolean> {
  let exited = false;
  child.status.then(() => exited = true);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && !exited;) {
    try {
      const response = await fetch(`${base}/?url=`);
      await response.body?.cancel();
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100)); // not listening yet
    }
  }
  return false;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
