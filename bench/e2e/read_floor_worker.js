// @ts-check
/**
 * The floor of reading a `fetch` body in JavaScript, for `bench/read_floor.ts`: one Worker
 * (served by `deno serve` and by bare workerd alike) that forwards a submit to AI Engine
 * (`UPSTREAM_REST_URL`) and treats the answer's body as its path says:
 *
 * - `/raw`: returns `upstream.body` untouched (the runtime pumps it: no JavaScript per chunk);
 * - `/read`: reads every chunk in JavaScript (a BYOB reader, as `byteSource` does) and
 *   writes once, at the end: what reading alone costs;
 * - `/write-each-event`: reads every chunk and writes once per two (an event, as Apache
 *   sends it): what a gateway that writes every event costs, with no parsing at all;
 * - `/settles`: counts, for each read after the first, whether it settled within 64
 *   microtask turns, or before a 0 ms timer: whether a buffered body shows itself.
 *
 * @module
 */

const SSE = { "content-type": "text/event-stream" };

/**
 * @param {Request} request
 * @param {string} restUrl
 */
async function submit(request, restUrl) {
  return await fetch(`${restUrl}/mwai-ui/v1/chats/submit`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-wp-nonce": request.headers.get("x-wp-nonce") ?? "",
    },
    body: await request.text(),
    signal: request.signal,
  });
}

/** @param {ReadableStream<Uint8Array>} body */
function chunks(body) {
  const reader = body.getReader({ mode: "byob" });
  let buffer = new ArrayBuffer(64 * 1024);
  /** @returns {Promise<Uint8Array | null>} */
  return async () => {
    const { done, value } = await reader.read(new Uint8Array(buffer));
    if (done || !value) return null;
    buffer = /** @type {ArrayBuffer} */ (value.buffer);
    return value;
  };
}

/** @param {() => Promise<Uint8Array | null>} next */
async function readAll(next) {
  let bytes = 0;
  for (let chunk = await next(); chunk !== null; chunk = await next()) bytes += chunk.byteLength;
  return new Response("x".repeat(bytes), { headers: SSE });
}

/** @param {() => Promise<Uint8Array | null>} next */
function writeEachEvent(next) {
  return new Response(
    new ReadableStream({
      async pull(controller) {
        const first = await next();
        if (first === null) return controller.close();
        const head = first.slice();
        const second = await next();
        const event = new Uint8Array(head.byteLength + (second?.byteLength ?? 0));
        event.set(head);
        if (second) event.set(second, head.byteLength);
        controller.enqueue(event);
      },
    }, { highWaterMark: 0 }),
    { headers: SSE },
  );
}

/**
 * @param {Promise<unknown>} read
 * @returns {Promise<"microtasks" | "timer" | "later">}
 */
async function howSoon(read) {
  let settled = false;
  read.then(() => settled = true, () => settled = true);
  for (let turn = 0; turn < 64 && !settled; turn++) await null;
  if (settled) return "microtasks";
  await new Promise((resolve) => setTimeout(resolve, 0));
  return settled ? "timer" : "later";
}

/** @param {() => Promise<Uint8Array | null>} next */
async function settles(next) {
  const counts = { microtasks: 0, timer: 0, later: 0 };
  await next();
  for (;;) {
    const read = next();
    counts[await howSoon(read)]++;
    if ((await read) === null) break;
  }
  return Response.json(counts);
}

export default {
  /**
   * @param {Request} request
   * @param {{ UPSTREAM_REST_URL?: string }} env
   */
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === "/healthz") return new Response("ok");
    // @ts-ignore: `Deno` is there on Deno only; workerd gives its bindings in `env`.
    const restUrl = env?.UPSTREAM_REST_URL ?? globalThis.Deno.env.get("UPSTREAM_REST_URL") ?? "";
    const upstream = await submit(request, restUrl);
    if (path === "/raw") return new Response(upstream.body, { headers: SSE });
    const next = chunks(/** @type {ReadableStream<Uint8Array>} */ (upstream.body));
    if (path === "/read") return readAll(next);
    if (path === "/write-each-event") return writeEachEvent(next);
    if (path === "/settles") return settles(next);
    return new Response("Unknown path", { status: 404 });
  },
};
