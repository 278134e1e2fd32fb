/**
 * `POST mwai-ui/v1/files/upload` (AI Engine 1.9.95+; 3.6.2:classes/modules/files.php):
 * the permission callback (`check_rest_nonce` from 2.0.0: 401 without a nonce), then a
 * multipart `file` (400 "No file provided."), a `purpose` (required since 2.1.5), a type
 * WordPress allows (400 "Invalid file type."), and the stored file's refId and URL.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import { phpJsonEncode } from "./php_json.ts";
import { pluginAllowsSubmit, type Site, type SiteRequest } from "./site_request.ts";
import { REST_FORBIDDEN, wholeAnswer, wordpressHead } from "./wordpress_wire.ts";

/** A file the site stored. */
export interface StoredFile {
  /** The `file` part's bytes. */
  bytes: Uint8Array;
  /** Its Content-Type. */
  type: string;
  /** The `type` and `purpose` fields as sent. */
  fields: Record<string, string>;
}

// wp_check_filetype_and_ext, for the images a vision bot reads.
const ALLOWED = new Set(["image/png", "image/jpeg", "image/webp", "image/gif"]);

/**
 * The answer to an upload; `store` keeps the file and gives its refId (3.x: 32 hex).
 *
 * @example
 * ```ts ignore
 * import { filesUploadAnswer } from "./files_upload_route.ts";
 * const steps = filesUploadAnswer(site, request, (file) => "0123…");
 * ```
 */
export function filesUploadAnswer(
  site: Site,
  request: SiteRequest,
  store: (file: StoredFile) => string,
): AnswerStep[] {
  const wpNonce = request.raw.headers.has("x-wp-nonce") ? site.nonce : undefined;
  const answer = (status: number, body: unknown) =>
    wholeAnswer(
      wordpressHead({ status, siteUrl: site.url, body: "json", wpNonce }),
      typeof body === "string" ? body : phpJsonEncode(body),
    );
  if (!pluginAllowsSubmit(request, site)) return answer(401, REST_FORBIDDEN);
  const parts = multipartParts(request);
  const file = parts.find((part) => part.name === "file" && part.filename !== null);
  if (!file) return answer(400, { success: false, message: "No file provided." });
  const fields = Object.fromEntries(
    parts.filter((part) => part.filename === null).map((part) => [part.name, latin1(part.bytes)]),
  );
  if (!fields.purpose) return answer(400, { success: false, message: "Purpose is required." });
  if (!ALLOWED.has(file.type)) {
    return answer(400, { success: false, message: "Invalid file type." });
  }
  const id = store({ bytes: file.bytes, type: file.type, fields });
  const extension = file.type.slice("image/".length).replace("jpeg", "jpg");
  const url = `${site.url}/wp-content/uploads/2026/01/${id}.${extension}`;
  return answer(200, { success: true, data: { id, url } });
}

interface Part {
  name: string;
  filename: string | null;
  type: string;
  bytes: Uint8Array;
}

/** PHP's multipart parsing, enough for what clients send: boundary-separated parts. */
function multipartParts(request: SiteRequest): Part[] {
  const boundary = request.raw.headers.get("content-type")?.match(/boundary="?([^";]+)"?/i)?.[1];
  if (!boundary) return [];
  const body = request.raw.body;
  const text = latin1(body); // one char per byte: offsets are byte offsets
  const parts: Part[] = [];
  for (const chunk of text.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith("--")) break;
    const headEnd = chunk.indexOf("\r\n\r\n");
    if (headEnd === -1) continue;
    const head = chunk.slice(0, headEnd);
    const content = chunk.slice(headEnd + 4, chunk.endsWith("\r\n") ? -2 : undefined);
    const name = head.match(/name="([^"]*)"/i)?.[1];
    if (name === undefined) continue;
    parts.push({
      name,
      filename: head.match(/filename="([^"]*)"/i)?.[1] ?? null,
      type: head.match(/content-type:\s*([^\r\n;]+)/i)?.[1]?.trim().toLowerCase() ?? "",
      bytes: Uint8Array.from(content, (c) => c.charCodeAt(0)),
    });
  }
  return parts;
}

// One char per byte (TextDecoder's "latin1" is windows-1252, which remaps 0x80–0x9f).
function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return text;
}
