/**
 * An AI Engine site for latency benches: it answers `chats/submit` with the plugin's
 * own wire format (WordPress head, one TCP write per `live` event, the `end` event,
 * then close), but each piece of text is a stamp of the time it was written (see
 * `event_clock.ts`). The message says the shape: `timing:<events>:<intervalMs>`; the
 * first piece goes out with the head, the others on a fixed schedule. Any nonce is
 * accepted (run the gateway with `AI_ENGINE_NONCE`).
 *
 * Run alone it listens on `PORT` (default: a free port) and prints its URL.
 *
 * @module
 */
import { HttpExchange } from "../../tests/emulator/http_exchange.ts";
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
  #listener: Deno.TcpListener;
  #shutdown = new AbortController();
  #serving = new Set<Promise<void>>();
  #accepting: Promise<void>;

  private constructor(listener: Deno.TcpListener) {
    this.#listener = listener;
    this.url = `http://127.0.0.1:${listener.addr.port}`;
    this.#accepting = this.#accept();
  }

  /** Starts listening on `port` (0: any free port). */
  static start(port = 0): TimingUpstream {
    return new TimingUpstream(Deno.listen({ hostname: "127.0.0.1", port }));
  }

  async close(): Promise<void> {
    this.#shutdown.abort();
    this.#listener.close();
    await this.#accepting;
    await Promise.all([...this.#serving]);
  }

  async #accept(): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        const serving = this.#serve(conn);
        this.#serving.add(serving);
        serving.finally(() => this.#serving.delete(serving));
      }
    } catch {
      // closed by close()
    }
  }

  async #serve(conn: Deno.TcpConn): Promise<void> {
    conn.setNoDelay(true); // each event leaves at once, as the site's flush() intends
    const exchange = new HttpExchange(conn, this.#shutdown.signal);
    try {
      const request = await exchange.readRequest();
      if (!request) return;
      const host = request.headers.get("host") ?? "127.0.0.1";
      const plan = parsePlan(new TextDecoder().decode(request.body));
      if (!plan) {
        await exchange.write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        return;
      }
      await this.#answer(exchange, host, plan);
    } finally {
      await exchange.close();
    }
  }

  async #answer(exchange: HttpExchange, host: string, plan: Plan): Promise<void> {
    const head = wordpressHead({ status: 200, host, siteUrl: this.url, body: "sse" });
    if (!await exchange.write(head)) return;
    const start = clockMs();
    const pieces: string[] = [];
    for (let seq = 0; seq < plan.events; seq++) {
      const wait = start + seq * plan.intervalMs - clockMs();
      if (wait > 0 && !await exchange.pause(wait)) return;
      const text = stamp(seq);
      pieces.push(text);
      if (!await exchange.write(`data: ${liveEvent(text).data}\n\n`)) return;
    }
    const end = endEvent({ success: true, reply: pieces.join(""), usage: null });
    await exchange.write(`data: ${end.data}\n\n`);
  }
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
