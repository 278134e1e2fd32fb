/**
 * The measuring client: asks one path for an answer and reads its body as it comes,
 * handing each decoded chunk and its arrival time to an observer. The same code reads
 * every path, so its own cost cancels in the comparisons.
 *
 * @module
 */
import { submitBody } from "../../lib/ai_engine/submit.ts";
import { clockMs } from "./event_clock.ts";
import { rawHttp } from "../../tests/support/http1/raw_client.ts";

/** Where an answer is read from. */
export type PathKind =
  | "direct"
  | "raw proxy"
  | "/api/chat"
  | "/v1/chat/completions"
  | "/api/webhook";

/** A path to an answer: the AI Engine site itself, the raw proxy, or a gateway route. */
export interface AnswerPath {
  kind: PathKind;
  /** The site's REST root (direct), or the server's base URL. */
  url: string;
  /** The site's nonce, for the direct and raw-proxy paths. */
  nonce?: string;
}

/** How one read went. */
export interface StreamResult {
  status: number;
  bytes: number;
  /** The client's clock (ms since the epoch) when the request was sent and the body ended. */
  sentAt: number;
  endedAt: number;
  /** Why the answer does not count as complete, or null. */
  error: string | null;
}

/**
 * Asks `path` for the answer to `message` and reads it to the end, straight off a TCP
 * socket in reads of up to 256 KiB. A fetch client spends tens of microseconds on every
 * HTTP chunk frame, which would make the client, not the server, the bottleneck.
 */
export async function readAnswerStream(
  path: AnswerPath,
  message: string,
  onText: (text: string, arrival: number) => void = () => {},
): Promise<StreamResult> {
  const sentAt = clockMs();
  const [url, init] = request(path, message);
  const mark = END_MARKS[path.kind];
  const decoder = new TextDecoder();
  let bytes = 0;
  let status = 0;
  let ended = mark === null;
  let tail = "";
  try {
    const onBody = (chunk: Uint8Array, arrival: number) => {
      bytes += chunk.byteLength;
      const text = decoder.decode(chunk, { stream: true });
      onText(text, arrival);
      if (mark !== null && !ended) ended = (tail + text).includes(mark);
      tail = (tail + text).slice(-64);
    };
    const answer = await rawHttp(url.origin, post(url, init), { onBody, keepReads: false });
    status = answer.status;
    const error = status !== 200
      ? `status ${status}`
      : !answer.complete
      ? "body cut short"
      : ended
      ? null
      : `no ${mark}`;
    return { status, bytes, sentAt, endedAt: clockMs(), error };
  } catch (error) {
    return { status, bytes, sentAt, endedAt: clockMs(), error: String(error) };
  }
}

/** A POST with a JSON body. */
interface JsonPost {
  headers: Record<string, string>;
  body: string;
}

// One request per connection, as a fresh client would send it.
function post(url: URL, request: JsonPost) {
  return {
    method: "POST",
    target: `${url.pathname}${url.search}`,
    headers: { host: url.host, connection: "close", ...request.headers },
    body: request.body,
  };
}

function request(path: AnswerPath, message: string): [URL, JsonPost] {
  const json = { "content-type": "application/json" };
  switch (path.kind) {
    case "direct":
    case "raw proxy": {
      const url = path.kind === "direct" ? `${path.url}/mwai-ui/v1/chats/submit` : path.url;
      const body = submitBody({ botId: "default", messages: [{ role: "user", content: message }] });
      return [new URL(url), { headers: { ...json, "x-wp-nonce": path.nonce ?? "" }, body }];
    }
    case "/api/chat":
    case "/api/webhook":
      return [new URL(`${path.url}${path.kind}`), {
        headers: json,
        body: JSON.stringify({ message }),
      }];
    case "/v1/chat/completions":
      return [new URL(`${path.url}/v1/chat/completions`), {
        headers: json,
        body: JSON.stringify({
          model: "default",
          stream: true,
          messages: [{ role: "user", content: message }],
        }),
      }];
  }
}

// How a complete answer ends on each path; /api/chat has no mark: its body ends
// normally only when the answer did (a failure makes the read reject). The webhook's one
// JSON object ends with its usage, after the reply.
const END_MARKS: Record<PathKind, string | null> = {
  "direct": '"type":"end"',
  "raw proxy": '"type":"end"',
  "/api/chat": null,
  "/v1/chat/completions": "data: [DONE]",
  "/api/webhook": '"usage":',
};
