/**
 * Time to first text over a distant site, raw pass-through against the gateway on one
 * runtime, and the connections each answer opens on the link:
 * - warm: one process each, a few answers to warm up, then answers one after another,
 *   the two sides taking turns; the link's count before and after each answer says how
 *   many connections it opened (steady traffic, so a kept connection is never idle long);
 * - fresh: a new process for every answer, ready (its /healthz answered, which does not
 *   reach the site) before the request is sent; its first answer pays for everything a
 *   new isolate pays: connections, TLS handshakes, the gateway's nonce.
 *
 * Time to first text is request sent → the first piece of the answer's text arrived,
 * on the measuring client, which sits beside the server on loopback.
 *
 * @module
 */
import type { ServerProcess } from "../e2e/processes.ts";
import { type AnswerPath, readAnswerStream } from "../e2e/stream_client.ts";
import type { DistantSite } from "./distant_site.ts";
import {
  NONCE,
  type Runtime,
  type ServerSetting,
  type Side,
  startServer,
} from "./wide_area_servers.ts";

/** The first piece of every answer: what "first text" looks for, on any face. */
export const FIRST_PIECE = "[first]";
/** The emulator's answer: a marked first piece, sent at once, and a little more. */
export const FIRST_TEXT_ANSWER = {
  answerPieces: [FIRST_PIECE, " and", " the rest."],
  pieceDelayMs: 0,
  nonce: NONCE,
};

/** One answer read: its time to first text and the connections it opened. */
export interface FirstTextSample {
  ms: number;
  connections: number;
}

/** What one runtime showed over one link. */
export interface FirstTextFigures {
  warm: Record<Side, FirstTextSample[]>;
  fresh: Record<Side, FirstTextSample[]>;
  /** Answers that failed or never showed their first piece. */
  errors: number;
}

/** How many answers. */
export interface FirstTextSettings {
  warmUp: number;
  warmAnswers: number;
  freshAnswers: number;
}

const SIDES: Side[] = ["raw", "gateway"];

/** Measures `runtime` against `site` (which must answer {@linkcode FIRST_TEXT_ANSWER}). */
export async function measureFirstText(
  runtime: Runtime,
  site: DistantSite,
  setting: ServerSetting,
  settings: FirstTextSettings,
): Promise<FirstTextFigures> {
  const figures: FirstTextFigures = {
    warm: { raw: [], gateway: [] },
    fresh: { raw: [], gateway: [] },
    errors: 0,
  };
  if (settings.warmAnswers > 0) await measureWarm(runtime, site, setting, settings, figures);
  for (let i = 0; i < settings.freshAnswers; i++) {
    for (const [, side] of turns(i)) {
      await using server = await startServer(runtime, side, setting);
      record(figures, "fresh", side, await sample(site, side, server));
    }
  }
  return figures;
}

async function measureWarm(
  runtime: Runtime,
  site: DistantSite,
  setting: ServerSetting,
  settings: FirstTextSettings,
  figures: FirstTextFigures,
): Promise<void> {
  const servers: ServerProcess[] = [];
  try {
    for (const side of SIDES) servers.push(await startServer(runtime, side, setting));
    for (let i = 0; i < settings.warmUp; i++) {
      for (const [s, side] of SIDES.entries()) await sample(site, side, servers[s]!);
    }
    for (let i = 0; i < settings.warmAnswers; i++) {
      for (const [s, side] of turns(i)) {
        record(figures, "warm", side, await sample(site, side, servers[s]!));
      }
    }
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

// The sides take turns at going first.
function turns(round: number): [number, Side][] {
  const order = [...SIDES.entries()];
  return round % 2 === 0 ? order : order.reverse();
}

function record(
  figures: FirstTextFigures,
  kind: "warm" | "fresh",
  side: Side,
  sample: FirstTextSample | null,
): void {
  if (sample === null) figures.errors++;
  else figures[kind][side].push(sample);
}

/** Reads one answer through `server`; null when it failed or showed no first piece. */
async function sample(
  site: DistantSite,
  side: Side,
  server: ServerProcess,
): Promise<FirstTextSample | null> {
  const path: AnswerPath = side === "raw"
    ? { kind: "raw proxy", url: server.url, nonce: NONCE }
    : { kind: "/api/chat", url: server.url };
  const before = await site.connections();
  const first = { seen: "", at: null as number | null };
  const result = await readAnswerStream(path, "Hello", (text, arrival) => {
    if (first.at !== null) return;
    first.seen = (first.seen + text).slice(-256);
    if (first.seen.includes(FIRST_PIECE)) first.at = arrival;
  });
  const connections = await site.connections() - before;
  if (result.error !== null || first.at === null) return null;
  return { ms: first.at - result.sentAt, connections };
}
