/**
 * A site that speaks HTTP/1.1 as a script says, over a real loopback socket: for each
 * request it reads (its head and its `Content-Length` body), the script gives the answer's
 * pieces (each its own TCP write), and what to do after: keep the connection for the next
 * request, close it, or hold it open until the client closes it. For the socket client's
 * tests, which need a site that does what no well-behaved server would.
 *
 * @example
 * ```ts ignore
 * import { ScriptedSite } from "./scripted_site.ts";
 * await using site = new ScriptedSite(() => ({ pieces: ["HTTP/1.1 204 No Content\r\n\r\n"] }));
 * ```
 */
import { LoopbackServer } from "./loopback_server.ts";

/** What the site does with one request. */
export interface Scene {
  /** The answer, piece by piece (text is sent as UTF-8); none: the request is left unanswered. */
  pieces: (string | Uint8Array)[];
  /** After the answer: `keep` (default) reads the next request, `close` ends the connection. */
  then?: "keep" | "close" | "hold";
}

/** One request as the site read it. */
export interface SeenRequest {
  head: string;
  body: string;
  /** The connection's number, from 1. */
  connection: number;
}

const utf8 = new TextEncoder();

export class ScriptedSite implements AsyncDisposable {
  readonly url: string;
  readonly requests: SeenRequest[] = [];
  /** Connections the site saw closed by the client. */
  closedByClient = 0;
  /** Connections ended, by either side. */
  ended = 0;
  #connections = 0;
  #server: LoopbackServer;
  #waiters = new Set<() => void>();

  constructor(script: (request: SeenRequest, index: number) => Scene) {
    this.#server = new LoopbackServer((conn) => this.#serve(conn, script));
    this.url = `http://127.0.0.1:${this.#server.port}`;
  }

  /** TCP connections the site accepted. */
  get connections(): number {
    return this.#connections;
  }

  /** Resolves once `test` holds of the site (checked at every change). */
  until(test: (site: ScriptedSite) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!test(this)) return;
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
      check();
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#server.close();
  }

  #changed(): void {
    for (const check of [...this.#waiters]) check();
  }

  async #serve(conn: Deno.Conn, script: (r: SeenRequest, i: number) => Scene): Promise<void> {
    const connection = ++this.#connections;
    this.#changed();
    let buffered = "";
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        let request = complete(buffered);
        while (!request) {
          const n = await conn.read(buffer).catch(() => null);
          if (n === null) {
            this.closedByClient++;
            return;
          }
          buffered += new TextDecoder().decode(buffer.subarray(0, n));
          request = complete(buffered);
        }
        buffered = buffered.slice(request.length);
        const seen = { head: request.head, body: request.body, connection };
        this.requests.push(seen);
        this.#changed();
        const scene = script(seen, this.requests.length - 1);
        for (const piece of scene.pieces) {
          await conn.write(typeof piece === "string" ? utf8.encode(piece) : piece);
        }
        if (scene.then === "close") return;
        if (scene.then === "hold") {
          await conn.read(buffer).catch(() => null);
          this.closedByClient++;
          return;
        }
      }
    } catch {
      // The client went: nothing more to serve.
    } finally {
      try {
        conn.close();
      } catch { /* closed already */ }
      this.ended++;
      this.#changed();
    }
  }
}

function complete(text: string): { head: string; body: string; length: number } | null {
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) return null;
  const head = text.slice(0, end);
  const size = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
  const rest = utf8.encode(text.slice(end + 4));
  if (rest.length < size) return null;
  const body = new TextDecoder().decode(rest.subarray(0, size));
  return { head, body, length: end + 4 + body.length };
}
