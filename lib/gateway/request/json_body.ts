import type { Context } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";
import { concatBytes } from "../../util/concat_bytes.ts";
import { badRequest, HttpError } from "../http_error.ts";

/**
 * Reads a request body as raw bytes, refusing more than `maxBytes`: at once when
 * `Content-Length` says so, and while reading when the body is chunked or lies about its
 * length. A body that has not fully arrived within `timeoutMs` is refused with 408.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readBody } from "./json_body.ts";
 * const bytes = await readBody(new Request("http://x/", { method: "POST", body: "{}" }), 1024);
 * assert.equal(new TextDecoder().decode(bytes), "{}");
 * ```
 */
export async function readBody(
  request: Request,
  maxBytes: number,
  timeoutMs = 10_000,
): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(slowBody(timeoutMs)), timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    if (error instanceof HttpError) throw error;
    throw badRequest("The request body could not be read");
  } finally {
    clearTimeout(timer);
  }
  return concatBytes(chunks);
}

/**
 * Reads a JSON request body: `Content-Type` must be JSON (415), the bytes valid UTF-8
 * and valid JSON (400). Returns the raw bytes too. With `verify` (a signature check on
 * the raw bytes), nothing about the body is judged before `verify` has passed.
 */
export async function readJsonBody(
  request: Request,
  maxBytes: number,
  timeoutMs?: number,
  verify?: (raw: Uint8Array) => Promise<void>,
): Promise<{ raw: Uint8Array; value: unknown }> {
  if (!verify) checkJsonType(request);
  const raw = await readBody(request, maxBytes, timeoutMs);
  if (verify) {
    await verify(raw);
    checkJsonType(request);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw badRequest("The request body is not valid UTF-8");
  }
  try {
    return { raw, value: JSON.parse(text) };
  } catch (error) {
    const detail = error instanceof SyntaxError ? `: ${error.message.slice(0, 120)}` : "";
    throw new HttpError(400, `The request body is not valid JSON${detail}`, {
      type: "invalid_request_error",
      code: "invalid_json",
    });
  }
}

function checkJsonType(request: Request): void {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new HttpError(415, `Content-Type must be application/json, not ${type || "missing"}`, {
      type: "invalid_request_error",
      code: "unsupported_media_type",
    });
  }
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `The request body is larger than ${maxBytes} bytes`, {
    type: "invalid_request_error",
    code: "request_too_large",
  });
}

function slowBody(timeoutMs: number): HttpError {
  return new HttpError(408, `The request body did not arrive within ${timeoutMs} ms`, {
    type: "invalid_request_error",
    code: "request_timeout",
  });
}

/**
 * Reads the request's JSON body under the configured limits: `MAX_BODY_BYTES`, and
 * `UPSTREAM_TIMEOUT_MS` for the whole body to arrive (a peer's silence is bounded the
 * same way on both sides).
 */
export function readRequestJson(
  c: Context<GatewayEnv>,
  verify?: (raw: Uint8Array) => Promise<void>,
): Promise<{ raw: Uint8Array; value: unknown }> {
  const { maxBodyBytes, upstreamTimeoutMs } = c.var.config;
  return readJsonBody(c.req.raw, maxBodyBytes, upstreamTimeoutMs, verify);
}
