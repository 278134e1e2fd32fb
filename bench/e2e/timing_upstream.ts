/**
 * An AI Engine site for latency benches: it answers `chats/submit` with the plugin's
 * own wire format (WordPress head, one TCP write per `live` event, the `end` event) in
 * the emulator's framings (`apache` by default, or `close`, `chunk-per-event`; see
 * `tests/emulator/site_framing.ts`), but each piece of text is a stamp of the time it
 * was written (see `event_clock.ts`). The message says the shape:
 * `timing:<events>:<intervalMs>`; the first piece goes out with the head, the others on
 * a fixed schedule. Any nonce is accepted (run the gateway with `AI_ENGINE_NONCE`).
 *
 * Run alone it listens on `PORT` (default: a free port), in the framing
 * `MWAI_EMULATOR_FRAMING` names, and prints its URL.
 *
 * @module
 */
import { LoopbackServer } from "../../tests/support/loopback_server.ts";
import type { RawRequest } from "../../tests/support/http1/request_reader.ts";
import { type AnswerStep, runAnswer } from "../../tests/emulator/answer_plan.ts";
import { HttpExchange } from "../../tests/emulator/http_exchange.ts";
import {
  defaultFraming,
  KEEP_ALIVE_TIMEOUT_S,
  type SiteFraming,
} from "../../tests/emulator/site_framing.ts";
import { endEvent, liveEvent } from "../../tests/emulator/sse_events.ts";
import { wordpressHead } from "../../tests/emulator/wordpress_wire.ts";
import { clockMs, stamp } from "./event_clock.ts";

/** The message that asks for `events` pieces, one every `intervalMs`. */
export function timingMessage(events: number, intervalMs: number): string {
  return `timing:${events}:${intervalMs}`;
}

/** The timing site, on a loopback port. */
export class TimingUpstream {
  readonly url: string;
  readonly framing: SiteFraming;
  #server: LoopbackServer;
  #shutdown = new AbortController();
  #exchanges = new Set<HttpExchange>();

  private constructor(port: number, framing: SiteFraming) {
    this.framing = framing;
    this.#server = new LoopbackServer((conn) => this.#serve(conn), port);
    this.url = `http://127.0.0.1:${this.#server.port}`;
  }

  /** Starts listening on `port` (0: any free port). */
  static start(port = 0, framing: SiteFraming = defaultFraming()): TimingUpstream {
    return new TimingUpstream(port, framing);
  }

  async close(): Promise<void> {
    this.#shutdown.abort();
    await Promise.all([...this.#exchanges].map((exchange) => exchange.close()));
    await this.#server.close();
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    // Each event leaves at once, as the site's flush() intends (a plain TCP connection here).
    (conn as Deno.TcpConn).setNoDelay(true);
    const exchange = new HttpExchange(conn, this.#shutdown.signal);
    this.#exchanges.add(exchange);
    try {
      for (let served = 0;; served++) {
        const request = await exchange.readRequest(
          served > 0 ? KEEP_ALIVE_TIMEOUT_S * 1000 : undefined,
        );
        if (!request) return;
        const { keepAlive } = await runAnswer(
          exchange,
          this.#answer(request),
          this.#shutdown.signal,
          {
            framing: this.framing,
            host: request.headers.get("host") ?? "127.0.0.1",
            requestHeaders: request.headers,
            served,
          },
        );
        if (!keepAlive) return;
        exchange.answered();
      }
    } finally {
      await exchange.close();
      this.#exchanges.delete(exchange);
    }
  }

  #answer(request: RawRequest): Iterable<AnswerStep> {
    const plan = parsePlan(new TextDecoder().decode(request.body));
    if (!plan) {
      return [{ kind: "write", data: "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n" }];
    }
    return timedAnswer(this.url, plan);
  }
}

// Lazily generated, so that each stamp is taken just before its write.
function* timedAnswer(siteUrl: string, plan: Plan): Generator<AnswerStep> {
  yield { kind: "head", head: wordpressHead({ status: 200, siteUrl, body: "sse" }) };
  const start = clockMs();
  const pieces: string[] = [];
  for (let seq = 0; seq < plan.events; seq++) {
    const wait = start + seq * plan.intervalMs - clockMs();
    if (wait > 0) yield { kind: "pause", ms: wait };
    const text = stamp(seq);
    pieces.push(text);
    yield { kind: "flush", echoes: [`data: ${liveEvent(text).data}`, "\n\n"] };
  }
  const end = endEvent({ success: true, reply: pieces.join(""), usage: null });
  yield { kind: "flush", echoes: [`data: ${end.data}`, "\n\n"] };
}

interface Plan {
  events: number;
  intervalMs: number;
}

function parsePlan(body: string): Plan | null {
  let message: unknown;
  try {
    message = JSON.parse(body).newMessage;
  } catch {
    return null;
  }
  const match = typeof message === "string" && /^timing:(\d+):(\d+(?:\.\d+)?)$/.exec(message);
  return match ? { events: Number(match[1]), intervalMs: Number(match[2]) } : null;
}

if (import.meta.main) {
  const upstream = TimingUpstream.start(Number(Deno.env.get("PORT") ?? 0));
  console.log(upstream.url);
}
