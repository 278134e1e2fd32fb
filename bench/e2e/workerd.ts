/**
 * Bare workerd for the CPU bench: `workerd serve config.capnp`, with no wrangler between
 * the client and the Worker, so the serving process's CPU is the Worker's and the
 * runtime's alone. The binary is the one the pinned wrangler ships
 * (`@cloudflare/workerd-linux-64`, installed by `scripts/wrangler.sh`); the config is
 * written at run time into a temp dir, with the compatibility date and flags of
 * `wrangler.toml`, so bare workerd runs the Worker as a deploy would.
 *
 * @module
 */
import {
  freePort,
  inherited,
  type ServerProcess,
  serverProcess,
  untilHealthy,
} from "./processes.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** A Worker to serve: one ES module and its text bindings. */
export interface WorkerSpec {
  /** Path of the Worker's module (a bundle: it may import only the runtime's modules). */
  module: string;
  bindings: Record<string, string>;
  /** CA certificates (PEM) its outbound TLS trusts, beyond none: a test site's CA. */
  trustedCertificates?: string[];
}

/** Serves `worker` with bare workerd on a free loopback port, once /healthz answers. */
export async function startWorkerd(worker: WorkerSpec): Promise<ServerProcess> {
  const binary = await workerdBinary();
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "mwai-bench-workerd-" });
  const port = freePort();
  await Deno.copyFile(worker.module, `${dir}/worker.js`);
  await Deno.writeTextFile(`${dir}/config.capnp`, capnpConfig(port, worker));
  const child = new Deno.Command(binary, {
    args: ["serve", "config.capnp"],
    cwd: dir,
    env: inherited(),
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  const server = serverProcess(child, url);
  const close = async () => {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  };
  try {
    await untilHealthy(url, child);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, pid: server.pid, close, [Symbol.asyncDispose]: close };
}

/**
 * The config: one Worker on `127.0.0.1:port`, its outbound fetches and sockets through a
 * network service that may reach loopback (workerd refuses local addresses by default)
 * and trusts the worker's CA certificates.
 */
function capnpConfig(port: number, worker: WorkerSpec): string {
  const { date, flags } = compatibility();
  const texts = Object.entries(worker.bindings)
    .map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`);
  // Given any, the browsers' CAs stay trusted too, as they are without TLS options.
  const trusted = worker.trustedCertificates?.map((pem) => JSON.stringify(pem)) ?? [];
  const tls = trusted.length === 0
    ? ""
    : `tlsOptions = (trustBrowserCas = true, trustedCertificates = [${trusted.join(", ")}]),`;
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "net", network = (allow = ["public", "private", "local"], deny = [], ${tls})),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  bindings = [${texts.join(", ")}],
  compatibilityDate = ${JSON.stringify(date)},
  compatibilityFlags = ${JSON.stringify(flags)},
  globalOutbound = "net",
);
`;
}

/** `compatibility_date` and `compatibility_flags` as `wrangler.toml` sets them. */
function compatibility(): { date: string; flags: string[] } {
  const toml = Deno.readTextFileSync(`${ROOT}wrangler.toml`);
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1];
  if (!date) throw new Error("No compatibility_date in wrangler.toml");
  return { date, flags: [...(flags ?? "").matchAll(/"([^"]+)"/g)].map((match) => match[1]!) };
}

let binary: Promise<string> | undefined;

/**
 * The workerd of the pinned wrangler, installed first (by `scripts/wrangler.sh`, with npm,
 * into its cache) when no wrangler has been installed yet.
 */
export function workerdBinary(): Promise<string> {
  return binary ??= (async () => {
    const found = await findWorkerd();
    if (found) return found;
    const install = await new Deno.Command("bash", {
      args: ["scripts/wrangler.sh", "--version"],
      cwd: ROOT,
      stdout: "null",
      stderr: "inherit",
    }).output();
    const installed = install.success ? await findWorkerd() : null;
    if (!installed) throw new Error("No workerd: scripts/wrangler.sh could not install wrangler");
    return installed;
  })();
}

// Where scripts/wrangler.sh installs its pinned wrangler: MWAI_TOOLS_DIR, else
// ~/.cache/mwai-edge, in a folder named after the wrangler and Node versions it pins.
async function findWorkerd(): Promise<string | null> {
  const script = await Deno.readTextFile(`${ROOT}scripts/wrangler.sh`);
  const pinned = (name: string) => new RegExp(`^${name}="([^"]+)"`, "m").exec(script)?.[1];
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`;
  const tools = Deno.env.get("MWAI_TOOLS_DIR") ?? `${cache}/mwai-edge`;
  const dir = `${tools}/wrangler-${pinned("WRANGLER_VERSION")}-node-${pinned("NODE_VERSION")}`;
  const path = `${dir}/node_modules/@cloudflare/workerd-linux-64/bin/workerd`;
  return await Deno.stat(path).then((info) => info.isFile ? path : null, () => null);
}
