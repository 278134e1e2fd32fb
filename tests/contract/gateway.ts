/**
 * Starts a real gateway over HTTP in front of a fresh AI Engine emulator, in the runtime
 * that `MWAI_TEST_RUNTIME` names:
 *
 * - `inprocess` (default): `Deno.serve({ port: 0 }, app.fetch)` in this process;
 * - `deno`: `deno serve main.ts` in a child process, configured by environment variables;
 * - `workerd`: `wrangler dev` (Cloudflare's runtime, local and offline).
 *
 * The same route tests run against each, so the contract holds wherever main.ts is deployed.
 */
import { createApp } from "../../lib/gateway/app.ts";
import { parseConfig, type Variables } from "../../lib/gateway/config.ts";
import { closeKeptConnections } from "../../lib/runtime_upstream.ts";
import { AiEngineEmulator, type EmulatorOptions } from "../emulator/ai_engine_emulator.ts";
import { suiteCertificate } from "../support/tls/test_ca.ts";
import { startChildGateway } from "./child_gateway.ts";
import { WARM_LINE } from "../../lib/gateway/warm_session.ts";

/** A running gateway and the emulated site behind it. */
export interface Gateway extends AsyncDisposable {
  /** The gateway's base URL, e.g. `http://127.0.0.1:8123`. */
  base: string;
  site: AiEngineEmulator;
  /** The JSON log lines the gateway wrote so far. */
  logs(): Promise<Record<string, unknown>[]>;
  /** Everything the gateway printed so far, warnings and the runtime's own lines included. */
  output(): Promise<string>;
  close(): Promise<void>;
}

/** The runtime the route tests run against. */
export const RUNTIME = (Deno.env.get("MWAI_TEST_RUNTIME") ?? "inprocess") as
  | "inprocess"
  | "deno"
  | "workerd";

/**
 * Every test client is one anonymous client on 127.0.0.1, and a suite sends it thousands
 * of requests: the test gateways lift the anonymous limits (30 a minute, 4 at once by
 * default) unless a test sets its own (tests/contract/limits_test.ts).
 */
export const ROOMY_LIMITS: Variables = {
  ANON_REQUESTS_PER_MINUTE: "1000000",
  ANON_CONCURRENT_ANSWERS: "100000",
};

/**
 * Starts an emulated site and a gateway configured with `vars` in front of it
 * (`AI_ENGINE_URL` is the site's; `vars` may be a function of the site). The site speaks
 * TLS when the suite runs over it (`deno task test:tls`, see `suiteCertificate`).
 */
export async function startGateway(
  vars: Variables | ((site: AiEngineEmulator) => Variables) = {},
  siteOptions: EmulatorOptions = {},
): Promise<Gateway> {
  const site = await AiEngineEmulator.start(siteOptions, await suiteCertificate());
  const all: Variables = {
    AI_ENGINE_URL: site.url,
    ...ROOMY_LIMITS,
    ...(typeof vars === "function" ? vars(site) : vars),
  };
  try {
    if (RUNTIME === "inprocess") return inProcess(site, all);
    const child = await startChildGateway(RUNTIME, all);
    const gw = gateway(child.base, site, child, () => child.close());
    // The gateway asks the site for its nonce at start-up (on Workers with the first request,
    // the harness's /healthz): a test begins once that call is over, so what the site saw,
    // and what the gateway knows, is the same on every run.
    if (!all.AI_ENGINE_NONCE) {
      await untilPrinted(child, WARM_LINE, 30_000).catch(async (error) => {
        await child.close();
        throw error;
      });
    }
    return gw;
  } catch (error) {
    await site.close();
    throw error;
  }
}

/**
 * The first log line `find` picks, once the gateway has written it: a child gateway's
 * lines come through a pipe, and the line of a request is written as its answer ends,
 * so it may follow the client's last byte by a moment.
 */
export async function waitForLog(
  gw: Pick<Gateway, "logs">,
  find: (lines: Record<string, unknown>[]) => Record<string, unknown> | undefined,
  what = "the log line looked for",
): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const line = find(await gw.logs());
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`The gateway wrote no ${what} within 2 s`);
}

/** Resolves once the gateway has printed `text`, polling what it printed so far. */
async function untilPrinted(
  gw: Pick<Gateway, "output">,
  text: string,
  withinMs: number,
): Promise<void> {
  for (const started = Date.now(); Date.now() - started < withinMs;) {
    if ((await gw.output()).includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`The gateway did not print "${text}" within ${withinMs / 1000} s`);
}

function inProcess(site: AiEngineEmulator, vars: Variables): Gateway {
  const lines: string[] = [];
  const app = createApp({
    config: parseConfig(vars),
    log: (line) => lines.push(line),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const printed = {
    logs: () => Promise.resolve(lines.map((line) => JSON.parse(line))),
    output: () => Promise.resolve(lines.join("\n")),
  };
  // The connections the app kept to the site are closed with it: the test ends with nothing open.
  const stop = async () => {
    await server.shutdown();
    await closeKeptConnections();
  };
  return gateway(`http://127.0.0.1:${server.addr.port}`, site, printed, stop);
}

function gateway(
  base: string,
  site: AiEngineEmulator,
  printed: Pick<Gateway, "logs" | "output">,
  stop: () => Promise<void>,
): Gateway {
  const close = async () => {
    await stop();
    await site.close();
  };
  const { logs, output } = printed;
  return {
    base,
    site,
    logs: () => logs(),
    output: () => output(),
    close,
    [Symbol.asyncDispose]: close,
  };
}
