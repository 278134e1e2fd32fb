import { AiEngineError, classifyUpstreamMessage } from "./ai_engine_error.ts";
import { readJson } from "./site/whole_body.ts";
import type { AiEngineSession } from "./session/ai_engine_session.ts";
import { restRoute } from "./site/site_defaults.ts";
import { visitorHeaders } from "./session/visitor_headers.ts";
import { isRecord } from "../util/is_record.ts";
import { withIdleTimeout } from "../streams/with_idle_timeout.ts";

/** A file to hand to a vision bot: its bytes and media type (`image/png` ...). */
export interface UploadFile {
  /** The file's bytes. */
  bytes: Uint8Array<ArrayBuffer>;
  /** Its media type, e.g. `image/png`. */
  type: string;
}

// WordPress checks the extension against the type (wp_check_filetype_and_ext).
const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
};

/** Where and for whom to upload, and how long the site may take (a submit's options fit). */
export interface UploadOptions {
  /** The site's REST root. */
  restUrl: string;
  /** Limit on the upload answer's headers, and on silence in its body, in ms. */
  timeoutMs: number;
  /** Aborts the upload (the client left). */
  signal?: AbortSignal;
  /** The end user's `mwai_session_id`, as with the submit. */
  sessionId?: string;
}

/** The largest upload answer read: `{"success":true,"data":{"id","url"}}` is far less. */
const MAX_ANSWER_CHARS = 64 * 1024;

/**
 * Uploads a file to `POST {rest}/mwai-ui/v1/files/upload` as the plugin's own client does
 * (multipart: `file`, `type`, `purpose`; the `X-WP-Nonce` header; 2.0.0+ refuses it without)
 * and resolves with its id, for the submit's `newFileId`/`newFileIds`. `type=image`,
 * `purpose=vision` is what 2.1.5–2.3.5 require for a vision bot; 2.3.6+ rewrites the purpose
 * from the file's type at submit. A refused nonce is renewed and the upload sent once more.
 *
 * @example
 * ```ts ignore
 * const id = await uploadFile(session, { bytes, type: "image/png" }, options);
 * ```
 */
export async function uploadFile(
  session: AiEngineSession,
  file: UploadFile,
  options: UploadOptions,
): Promise<string> {
  const form = new FormData();
  const extension = EXTENSIONS[file.type] ?? "bin";
  form.append("file", new Blob([file.bytes], { type: file.type }), `image.${extension}`);
  form.append("type", "image");
  form.append("purpose", "vision");
  const encoded = new Request("http://localhost/", { method: "POST", body: form });
  const body = new Uint8Array(await encoded.arrayBuffer());
  const contentType = encoded.headers.get("content-type") ?? "multipart/form-data";
  for (let attempt = 1;; attempt++) {
    const nonce = await session.nonce();
    const json = await postUpload(options, body, contentType, nonce, session);
    if (!json.refused) return fileIdOf(json);
    session.refuse(nonce);
    if (attempt === 2) {
      throw new AiEngineError(
        "nonce_refused",
        `AI Engine refused a fresh nonce for the upload too (${json.status})`,
        { upstreamStatus: json.status },
      );
    }
  }
}

interface UploadAnswer {
  status: number;
  json: unknown;
  refused: boolean;
}

async function postUpload(
  options: UploadOptions,
  body: Uint8Array<ArrayBuffer>,
  contentType: string,
  nonce: string | null,
  session: AiEngineSession,
): Promise<UploadAnswer> {
  const timedOut = () =>
    new AiEngineError("timeout", `AI Engine took the image for over ${options.timeoutMs} ms`);
  const response = await session.site.call(restRoute(options.restUrl, "mwai-ui/v1/files/upload"), {
    method: "POST",
    headers: {
      "content-type": contentType,
      accept: "application/json",
      ...visitorHeaders(nonce, options.sessionId),
    },
    body,
    ...(options.signal ? { signal: options.signal } : {}),
    headersTimeoutMs: options.timeoutMs,
    timedOut,
    what: "AI Engine's file upload",
    failed: "Could not reach AI Engine",
  });
  session.renew(response.headers.get("x-wp-nonce"));
  const { status } = response;
  const json = await readJson(
    withIdleTimeout(response.body, options.timeoutMs, timedOut),
    MAX_ANSWER_CHARS,
  );
  const code = isRecord(json) ? json.code : undefined;
  const refused = (status === 401 && code === "rest_forbidden") ||
    (status === 403 && code === "rest_cookie_invalid_nonce");
  return { status, json, refused };
}

function fileIdOf({ status, json }: UploadAnswer): string {
  if (isRecord(json) && json.success === true && isRecord(json.data)) {
    const id = json.data.id;
    // 1.9.94 answered the attachment's number; later releases a hex refId.
    if (typeof id === "number" && Number.isSafeInteger(id)) return String(id);
    if (typeof id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(id)) return id;
  }
  const message = isRecord(json) && typeof json.message === "string" ? json.message : null;
  if (message && status >= 400 && status < 500) {
    // "Invalid file type.", "No file provided.": the client's to fix.
    throw new AiEngineError("rejected", `AI Engine refused the image: ${message.slice(0, 200)}`, {
      upstreamStatus: status,
    });
  }
  if (message) throw classifyUpstreamMessage(message.slice(0, 200), status);
  throw new AiEngineError("malformed", `Invalid upload answer from AI Engine (${status})`, {
    upstreamStatus: status,
  });
}
