/**
 * An AI Engine site far away: the emulator behind TLS (a certificate of the bench's own
 * test CA) in a process of its own, reached through a delay link (`delay_link.ts`) in a process with
 * the chosen round trip. Clients trust the CA through `DENO_CERT` (Deno) or the network
 * service's TLS options (workerd); see `wide_area_servers.ts`.
 *
 * @module
 */
import type { EmulatorOptions } from "../../tests/emulator/ai_engine_emulator.ts";
import type { TestCertificates } from "../../tests/support/tls/test_ca.ts";
import { startScript } from "../e2e/processes.ts";

/** The site as the gateway sees it, through the link. */
export interface DistantSite extends AsyncDisposable {
  /** e.g. `https://127.0.0.1:8123`: the link's port, the emulator's certificate. */
  url: string;
  /** `${url}/wp-json` */
  restUrl: string;
  /** The round trip of the link, in ms. */
  rttMs: number;
  /** Connections the link has accepted so far. */
  connections(): Promise<number>;
  close(): Promise<void>;
}

/** Starts the emulator with `options` over TLS and a link of `rttMs` in front of it. */
export async function startDistantSite(
  options: EmulatorOptions,
  certificates: TestCertificates,
  rttMs: number,
): Promise<DistantSite> {
  const emulator = await startScript("bench/e2e/emulator_server.ts", {
    EMULATOR_OPTIONS: JSON.stringify(options),
    EMULATOR_TLS: JSON.stringify({ certPem: certificates.certPem, keyPem: certificates.keyPem }),
  });
  const link = await startScript("bench/wide_area/delay_link.ts", {
    LINK_TARGET: new URL(emulator.url).host,
    LINK_RTT_MS: String(rttMs),
  }).catch(async (error) => {
    await emulator.close();
    throw error;
  });
  const state = async (): Promise<{ port: number; connections: number }> =>
    await (await fetch(link.url)).json();
  const url = `https://127.0.0.1:${(await state()).port}`;
  const close = async () => {
    await Promise.all([link.close(), emulator.close()]);
  };
  return {
    url,
    restUrl: `${url}/wp-json`,
    rttMs,
    connections: async () => (await state()).connections,
    close,
    [Symbol.asyncDispose]: close,
  };
}
