/**
 * The address of the worker itself behind `wrangler dev`'s proxy, for the few tests that
 * must send a header that proxy rewrites: it turns every URL in a header whose host is the
 * request's `Host` into the worker's own origin (wrangler's ProxyWorker,
 * `rewriteUrlRelatedHeaders`), so an `Origin` with a user name never reaches workerd
 * through it. Cloudflare passes such a header on as sent.
 *
 * wrangler runs the proxy and the worker in two workerd processes of one parent; the
 * worker's is the sibling's listening socket that answers `/healthz`. Found with `ss`
 * (iproute2) and `ps`: Linux only, as the rest of the workerd runs here.
 */

/** The base URL of the worker behind the `wrangler dev` proxy listening at `base`. */
export async function workerBehindProxy(base: string): Promise<string> {
  const listening = await workerdSockets();
  const proxyPort = Number(new URL(base).port);
  const proxy = listening.find((socket) => socket.port === proxyPort);
  if (!proxy) throw new Error(`No workerd listens on ${base}`);
  const parent = await parentOf(proxy.pid);
  for (const socket of listening) {
    if (socket.pid === proxy.pid || await parentOf(socket.pid) !== parent) continue;
    const candidate = `http://127.0.0.1:${socket.port}`;
    if (await answersHealth(candidate)) return candidate;
  }
  throw new Error(`No worker found behind the proxy at ${base}`);
}

async function workerdSockets(): Promise<{ pid: number; port: number }[]> {
  const { stdout } = await new Deno.Command("ss", { args: ["-ltnpH"], stdout: "piped" }).output();
  const sockets: { pid: number; port: number }[] = [];
  for (const line of new TextDecoder().decode(stdout).split("\n")) {
    const match = line.match(/127\.0\.0\.1:(\d+)\s.*\("workerd",pid=(\d+),/);
    if (match) sockets.push({ port: Number(match[1]), pid: Number(match[2]) });
  }
  return sockets;
}

// With `ps`, not /proc, which Deno lets only --allow-all read.
async function parentOf(pid: number): Promise<number> {
  const args = ["-o", "ppid=", "-p", String(pid)];
  const { stdout } = await new Deno.Command("ps", { args, stdout: "piped" }).output();
  return Number(new TextDecoder().decode(stdout).trim());
}

async function answersHealth(base: string): Promise<boolean> {
  try {
    const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
    const body = await response.text();
    return response.ok && body.startsWith('{"ok":true');
  } catch {
    return false;
  }
}
