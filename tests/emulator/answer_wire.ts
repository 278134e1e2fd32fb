/**
 * Puts one answer's head and output on the wire the way the site's web server does
 * (see `site_framing.ts`): when the head leaves, how each flush is framed, how the body
 * ends, and whether the connection is kept for another request.
 *
 * @module
 */

import { concatBytes } from "../../lib/util/concat_bytes.ts";
import { encodeChunk, LAST_CHUNK } from "../support/http1/chunked_coding.ts";
import { BodyCompressor, type ContentCoding } from "./body_compressor.ts";
import type { HttpExchange } from "./http_exchange.ts";
import {
  isChunked,
  keepAliveLeft,
  type PhpHead,
  renderHead,
  type SiteFraming,
} from "./site_framing.ts";

const encoder = new TextEncoder();

/** The exchange an answer belongs to, as the web server sees it. */
export interface AnswerContext {
  framing: SiteFraming;
  /** The request's Host header, or the site's host. */
  host: string;
  requestHeaders: Headers;
  /** Answers already served on this connection. */
  served: number;
  /** The body is compressed in this coding, whatever the request accepts; default none. */
  contentEncoding?: ContentCoding | null;
}

/**
 * One answer's writer. Every method resolves false once the client is gone.
 *
 * @example
 * ```ts ignore
 * import { AnswerWire } from "./answer_wire.ts";
 * const wire = new AnswerWire(exchange, context);
 * wire.head({ status: 200, headers: [["Content-Type", "application/json; charset=UTF-8"]] });
 * await wire.flush(['{"success":true}']);
 * await wire.finish();
 * ```
 */
export class AnswerWire {
  #exchange: HttpExchange;
  #context: AnswerContext;
  #pendingHead: Uint8Array | null = null;
  #chunked = false;
  #keepAlive = false;
  #perEcho = false;
  #compressor: BodyCompressor | null = null;

  constructor(exchange: HttpExchange, context: AnswerContext) {
    this.#exchange = exchange;
    this.#context = context;
  }

  /** The connection may serve another request once this answer is finished. */
  get keepAlive(): boolean {
    return this.#keepAlive;
  }

  /**
   * PHP's headers. Apache sends them with the first output PHP flushes (the recorded
   * head and first event share one TCP segment); PHP's built-in server at once.
   */
  async head(head: PhpHead): Promise<boolean> {
    const { framing, requestHeaders, served, host } = this.#context;
    const left = keepAliveLeft(framing, requestHeaders, head.status, served);
    this.#keepAlive = left !== null;
    this.#chunked = isChunked(framing, head);
    this.#perEcho = framing === "apache";
    const coding = this.#context.contentEncoding;
    if (coding) {
      // A compressing server frames what its compressor flushes, one chunk per flush.
      this.#compressor = new BodyCompressor(coding);
      this.#perEcho = false;
      head = {
        ...head,
        headers: [...head.headers, ["Content-Encoding", coding], ["Vary", "Accept-Encoding"]],
      };
    }
    this.#pendingHead = encoder.encode(renderHead(head, framing, { host, keepAliveLeft: left }));
    return framing === "close" ? await this.#sendHead() : true;
  }

  /** The output of one PHP `flush()`: each echo is a chunk on Apache, all one chunk elsewhere. */
  async flush(echoes: readonly (string | Uint8Array)[]): Promise<boolean> {
    let bytes = echoes.map((echo) => typeof echo === "string" ? encoder.encode(echo) : echo);
    if (this.#compressor) bytes = [await this.#compressor.compress(concatBytes(bytes))];
    if (!this.#chunked) return this.#write(concatBytes(bytes));
    const chunks = this.#perEcho ? bytes.map(encodeChunk) : [encodeChunk(concatBytes(bytes))];
    return this.#write(concatBytes(chunks));
  }

  /** Bytes past any framing (a cut inside a chunk, a CDN's page), with a pending head first. */
  raw(data: string | Uint8Array): Promise<boolean> {
    return this.#write(typeof data === "string" ? encoder.encode(data) : data);
  }

  /** The model goes quiet: PHP's built-in server has sent its head already; Apache waits. */
  beforePause(): Promise<boolean> {
    return this.#context.framing === "close" ? this.#sendHead() : Promise.resolve(true);
  }

  /** The answer stops here, unfinished: whatever head is pending goes out first. */
  beforeSilence(): Promise<boolean> {
    this.#keepAlive = false;
    return this.#sendHead();
  }

  /**
   * The answer is complete: the last chunk, as a write of its own (as recorded), when
   * chunked. A client that leaves now has had the whole answer, so this never fails.
   */
  async finish(): Promise<void> {
    if (this.#compressor) {
      const trailer = await this.#compressor.end();
      this.#compressor = null;
      if (!(await this.#write(this.#chunked ? encodeChunk(trailer) : trailer))) return;
    }
    if (!(await this.#sendHead())) return;
    if (this.#chunked) await this.#exchange.write(LAST_CHUNK);
  }

  /** The answer ended unfinished (cut, or its client gone): the compressor is let go. */
  release(): void {
    this.#compressor?.discard();
    this.#compressor = null;
  }

  #sendHead(): Promise<boolean> {
    return this.#write(new Uint8Array(0));
  }

  #write(bytes: Uint8Array): Promise<boolean> {
    const head = this.#pendingHead;
    this.#pendingHead = null;
    const data = head ? concatBytes([head, bytes]) : bytes;
    return data.length === 0
      ? Promise.resolve(!this.#exchange.peerLeft)
      : this.#exchange.write(data);
  }
}
