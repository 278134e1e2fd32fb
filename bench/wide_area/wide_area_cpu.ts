/**
 * CPU per answer over the distant site, the end-to-end bench's section 7 (`cpu_rounds.ts`:
 * paced, every server at once in windows; fast, one server at a time between two raw
 * measurements) with two faces, the raw pass-through and `/api/chat`, on Deno and on
 * workerd. Over a link, the gateway's CPU per answer includes whatever its transport
 * pays per answer: a TCP connection and a TLS handshake when it keeps none.
 *
 * @module
 */
import type { TestCertificates } from "../../tests/support/tls/test_ca.ts";
import { type Candidate, type CpuFigures, type CpuSettings, PACINGS } from "../e2e/cpu_figures.ts";
import { cpuAnswer, measureThenClose } from "../e2e/cpu_rounds.ts";
import type { WorkersBundle } from "../e2e/workers_bundle.ts";
import { startDistantSite } from "./distant_site.ts";
import {
  NONCE,
  RUNTIMES,
  type ServerSetting,
  type Side,
  startServer,
} from "./wide_area_servers.ts";

/** Runs both pacings over a link of `rttMs`, each against its own site. */
export async function measureWideAreaCpu(
  settings: CpuSettings,
  certificates: TestCertificates,
  bundle: WorkersBundle,
  rttMs: number,
): Promise<CpuFigures> {
  const figures: CpuFigures = { settings, cells: {}, skipped: {}, reruns: 0 };
  if (bundle.module === null) figures.skipped.workerd = bundle.error;
  for (const pacing of PACINGS) {
    await using site = await startDistantSite(
      cpuAnswer(settings, pacing, NONCE),
      certificates,
      rttMs,
    );
    const candidates = await startCandidates({ siteUrl: site.url, certificates, bundle }, figures);
    await measureThenClose(pacing, candidates, figures);
  }
  return figures;
}

// One process per runtime and side; a runtime that does not start is skipped, and said.
async function startCandidates(setting: ServerSetting, figures: CpuFigures): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (const runtime of RUNTIMES) {
    if (figures.skipped[runtime]) continue;
    const started: Candidate[] = [];
    try {
      for (const side of ["raw", "gateway"] as Side[]) {
        const server = await startServer(runtime, side, setting);
        started.push(
          side === "raw"
            ? {
              runtime,
              face: "raw",
              server,
              path: { kind: "raw proxy", url: server.url, nonce: NONCE },
            }
            : { runtime, face: "/api/chat", server, path: { kind: "/api/chat", url: server.url } },
        );
      }
      candidates.push(...started);
    } catch (error) {
      figures.skipped[runtime] = `did not start: ${error}`;
      await Promise.all(started.map((candidate) => candidate.server.close()));
    }
  }
  return candidates;
}
