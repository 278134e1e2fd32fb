/**
 * Headers of a streamed answer: no caching, and no compression that would hold text back.
 * Deno (with DENO_SERVE_AUTOMATIC_COMPRESSION=1) and Deno Deploy skip a `no-transform`
 * response; Cloudflare (and wrangler dev) gzips `text/plain` whatever Cache-Control says,
 * and only leaves alone a response whose Content-Encoding is neither gzip nor br.
 */
export const STREAM_HEADERS = {
  "cache-control": "no-cache, no-transform",
  "content-encoding": "identity",
  "x-accel-buffering": "no",
  "x-content-type-options": "nosniff",
};
