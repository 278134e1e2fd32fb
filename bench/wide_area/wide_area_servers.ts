/**
 * The servers the wide-area bench compares, each in a fresh process that trusts the
 * bench's test CA: on Deno, `deno serve` of `main.ts` or of the raw pass-through
 * (`raw_proxy.ts`), told of the CA by `DENO_CERT`; on workerd, bare `workerd serve` of
 * the wrangler bundle or of `raw_worker.js`, told by its network service's TLS options.
 * The gateway gets only the site's URL, as a new user would run it: it fetches its nonce.
 *
 * @module
 */
import type { TestCertificates } from "../../tests/support/tls/test_ca.ts";
import { type ServerProcess, startServe } from "../e2e/processes.ts";
import { UNLIMITED } from "../e2e/settings.ts";
import { startWorkerd } from "../e2e/workerd.ts";
import type { WorkersBundle } from "../e2e/workers_bundle.ts";

/** The runtimes and the two sides compared. */
export const RUNTIMES = ["deno", "workerd"] as const;
export type Runtime = typeof RUNTIMES[number];
export type Side = "raw" | "gateway";

/** The nonce the emulator hands out; the raw pass-through's client sends it itself. */
export const NONCE = "benchnonce";

/** What every server needs: the site, the CA, the Workers bundle. */
export interface ServerSetting {
  siteUrl: string;
  certificates: TestCertificates;
  bundle: WorkersBundle;
}

/** Starts `side` on `runtime` against the site; resolves once /healthz answers. */
export function startServer(
  runtime: Runtime,
  side: Side,
  setting: ServerSetting,
): Promise<ServerProcess> {
  const restUrl = `${setting.siteUrl}/wp-json`;
  const gatewayEnv = { AI_ENGINE_URL: setting.siteUrl, ...UNLIMITED };
  if (runtime === "deno") {
    const trust = { DENO_CERT: setting.certificates.caFile };
    return side === "raw"
      ? startServe("bench/e2e/raw_proxy.ts", { UPSTREAM_REST_URL: restUrl, ...trust })
      : startServe("main.ts", { ...gatewayEnv, ...trust });
  }
  const { bundle } = setting;
  if (bundle.module === null) return Promise.reject(new Error(bundle.error));
  const trustedCertificates = [setting.certificates.caPem];
  return side === "raw"
    ? startWorkerd({
      module: new URL("../e2e/raw_worker.js", import.meta.url).pathname,
      bindings: { UPSTREAM_REST_URL: restUrl },
      trustedCertificates,
    })
    : startWorkerd({ module: bundle.module, bindings: gatewayEnv, trustedCertificates });
}
