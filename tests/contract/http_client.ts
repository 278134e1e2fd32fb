/** Small HTTP helpers for the route tests: real requests, timed reads, error checks. */
import assert from "node:assert/strict";

/** POSTs JSON (or a raw string body) to the gateway. */
export function post(
  base: string,
  path: string,
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

/** A chunk of a response body and when it arrived (ms since the request was sent). */
export interface TimedChunk {
  text: string;
  at: number;
}

/** Reads a body to its end, noting when each chunk arrived. */
export async function readTimed(response: Response, since: number): Promise<TimedChunk[]> {
  const chunks: TimedChunk[] = [];
  for await (const text of response.body!.pipeThrough(new TextDecoderStream())) {
    chunks.push({ text, at: performance.now() - since });
  }
  return chunks;
}

/** Asserts an error response in OpenAI's shape with this status and code; returns it. */
export async function assertError(
  response: Response,
  status: number,
  code: string,
): Promise<{ message: string; type: string; param: string | null; code: string }> {
  const text = await response.text();
  assert.equal(response.status, status, `status of ${text}`);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = JSON.parse(text);
  assert.deepEqual(Object.keys(body), ["error"]);
  assert.deepEqual(Object.keys(body.error).sort(), ["code", "message", "param", "type"]);
  assert.equal(body.error.code, code, `code of ${text}`);
  assert.equal(typeof body.error.message, "string");
  assert.ok(body.error.message.length > 0);
  return body.error;
}

/** Parses an SSE body of `data:` lines into its data strings. */
export function sseData(text: string): string[] {
  return text.split("\n\n").filter((block) => block.startsWith("data: ")).map((block) =>
    block.slice(6)
  );
}

/** The emulator's default answer. */
export const ANSWER = "Привет, мир! 👋 The answer is 42.";

/** Asks `/api/chat`, reads the first piece of the answer, then leaves (aborts). */
export async function leaveAfterFirstText(base: string, body: unknown = { message: "Hello" }) {
  const controller = new AbortController();
  const response = await post(base, "/api/chat", body, { signal: controller.signal });
  const reader = response.body!.getReader();
  await reader.read();
  controller.abort();
  await reader.cancel().catch(() => {});
}
