import type { SiteProbe } from "./site_probe.ts";

/**
 * The site was not shown to accept connections within `timeoutMs`: the answer's headers
 * had not come by then, and a probe of the site (a connection of its own, TLS included)
 * heard nothing within the same bound. Nothing of the URL in it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConnectTimeout } from "./connect_timeout.ts";
 * const error = new ConnectTimeout(5000);
 * assert.equal(error.timeoutMs, 5000);
 * assert.match(error.message, /timed out/);
 * ```
 */
export class ConnectTimeout extends Error {
  override readonly name = "ConnectTimeout";
  /** The bound it was given, in ms. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`Connecting to the site timed out: it took no connection within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Runs `send` (a `fetch` of the site's answer) under a connect bound. `fetch` cannot tell
 * connecting from waiting for the headers, and a model that thinks first sends its
 * headers with its first text, minutes later; so a late answer is not failed for being
 * late. Once `timeoutMs` has passed without the headers, `probe` opens a connection of
 * its own to the site: if that is silent for `timeoutMs` too (a site that drops SYNs, or
 * never finishes its TLS handshake), `send` is aborted and this rejects with
 * {@linkcode ConnectTimeout}; if it connects, or fails at once (which `fetch` reports
 * itself), the wait goes on, bounded only by `signal`. A probe still under way when the
 * headers come is closed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConnectTimeout, withConnectBound } from "./connect_timeout.ts";
 * const never = (signal: AbortSignal) =>
 *   new Promise<Response>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
 * const silent = () => Promise.resolve("silent" as const);
 * await assert.rejects(
 *   withConnectBound(new URL("https://site.example/"), 10, silent, undefined, never),
 *   ConnectTimeout,
 * );
 * ```
 */
export async function withConnectBound<T>(
  url: URL,
  timeoutMs: number,
  probe: SiteProbe,
  signal: AbortSignal | undefined,
  send: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const sending = new AbortController();
  const probing = new AbortController();
  const sendSignal = signal ? AbortSignal.any([signal, sending.signal]) : sending.signal;
  let probed: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const verdict = probe(url, timeoutMs, probing.signal);
      probed = verdict;
      verdict.then((heard) => {
        if (heard !== "silent" || probing.signal.aborted) return;
        const error = new ConnectTimeout(timeoutMs);
        sending.abort(error);
        reject(error);
      });
    }, timeoutMs);
  });
  timedOut.catch(() => {}); // when the answer wins, nobody awaits this one
  try {
    return await Promise.race([send(sendSignal), timedOut]);
  } finally {
    clearTimeout(timer);
    probing.abort();
    await probed;
  }
}
