import { AiEngineError } from "../ai_engine_error.ts";
import type { AiEngineEnd, AiEngineEvent, AiEngineUsage } from "./events.ts";
import { isRecord } from "../../util/is_record.ts";
import { parseExtras } from "./answer_extras.ts";

/**
 * Decodes the `data` of one server-sent event into a typed AI Engine event:
 * `{"type":"live","data":"text"}`, `{"type":"end","data":"<JSON string>"}` (the `end`
 * object is JSON encoded twice) and `{"type":"error","data":"message"}`.
 *
 * An event that is not JSON, or has no `type`, throws an {@linkcode AiEngineError} of
 * type `malformed`. An event of a type this gateway does not know is null, to be
 * skipped, so a newer plugin that adds one keeps working.
 *
 * @example
 * ```ts
 * import { parseEvent } from "./parse_event.ts";
 * console.log(parseEvent('{"type":"live","data":"Hi"}')); // { type: "live", data: "Hi", subtype: null }
 * console.log(parseEvent('{"type":"ping"}')); // null
 * ```
 */
export function parseEvent(data: string): AiEngineEvent | null {
  const value = parseJson(data, "Invalid upstream event: not JSON");
  if (!isRecord(value)) throw malformed("Invalid upstream event: not a JSON object", data);
  const type = value.type;
  if (typeof type !== "string") throw malformed('Invalid upstream event: missing "type"', data);
  switch (type) {
    case "live":
      if (typeof value.data !== "string") {
        throw malformed('Invalid upstream event: "live" without text', data);
      }
      return {
        type,
        data: value.data,
        subtype: typeof value.subtype === "string" ? value.subtype : null,
      };
    case "end": {
      const end = typeof value.data === "string"
        ? parseJson(value.data, 'Invalid upstream event: "end" data is not JSON')
        : value.data;
      return { type, end: parseEnd(end) };
    }
    case "error":
      return { type, message: errorText(value.data) };
    default:
      return null;
  }
}

function errorText(data: unknown): string {
  if (typeof data === "string") return data;
  return data === undefined || data === null ? "AI Engine reported an error" : JSON.stringify(data);
}

/**
 * Reads AI Engine's answer object: the `end` event's data, or a non-streamed JSON answer
 * (`{"success":true,"reply":"...","usage":{...},"new_token"?:"..."}`).
 */
export function parseEnd(value: unknown): AiEngineEnd {
  if (!isRecord(value) || typeof value.success !== "boolean") {
    throw malformed('Invalid upstream answer: no "success"', JSON.stringify(value) ?? "");
  }
  const end: AiEngineEnd = {
    success: value.success,
    reply: typeof value.reply === "string" ? value.reply : "",
    usage: parseUsage(value.usage),
    newToken: typeof value.new_token === "string" && value.new_token !== ""
      ? value.new_token
      : null,
    message: typeof value.message === "string" ? value.message : null,
  };
  const extras = parseExtras(value);
  if (extras) end.extras = extras;
  return end;
}

/**
 * Token counts as the site reports them; a count that is not a whole number a model
 * could have spent (negative, `1e308`, a string) is null, never passed on.
 */
function parseUsage(value: unknown): AiEngineUsage | null {
  if (!isRecord(value)) return null;
  const count = (key: string) => {
    const n = value[key];
    return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : null;
  };
  const usage: AiEngineUsage = {
    prompt_tokens: count("prompt_tokens"),
    completion_tokens: count("completion_tokens"),
    total_tokens: count("total_tokens"),
  };
  const price = value.price;
  if (typeof price === "number" && Number.isFinite(price) && price >= 0) usage.price = price;
  return usage;
}

function parseJson(text: string, message: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw malformed(message, text, cause);
  }
}

function malformed(message: string, data: string, cause?: unknown): AiEngineError {
  const excerpt = data.length > 80 ? `${data.slice(0, 80)}…` : data;
  return new AiEngineError("malformed", `${message}: ${excerpt}`, { cause });
}
