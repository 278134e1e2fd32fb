import type { UploadFile } from "../../ai_engine/file_upload.ts";
import { badRequest } from "../http_error.ts";
import { isRecord } from "../../util/is_record.ts";

/** The largest image accepted, decoded: 4 MiB (vision models take far less, scaled down). */
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
/** The most images one message may carry: AI Engine's own `maxUploads` default. */
export const MAX_IMAGES = 5;

// What the plugin's vision bots and WordPress's upload both take, with each type's magic.
const SIGNATURES: Record<string, (bytes: Uint8Array) => boolean> = {
  "image/png": (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/gif": (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38,
  "image/webp": (b) =>
    String.fromCharCode(...b.subarray(0, 4)) === "RIFF" &&
    String.fromCharCode(...b.subarray(8, 12)) === "WEBP",
};
const DATA_URL = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/i;

/**
 * The image of an OpenAI `image_url` content part, `{"type":"image_url","image_url":
 * {"url":"data:image/png;base64,..."}}`: a PNG, JPEG, WebP or GIF of at most 4 MiB. A
 * remote URL is refused: the gateway fetches nothing on a client's behalf. Anything else is
 * a 400 naming the part (`where`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageOfPart } from "./image_part.ts";
 * const url = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
 * assert.equal(imageOfPart({ type: "image_url", image_url: { url } }, "part").type, "image/gif");
 * ```
 */
export function imageOfPart(part: Record<string, unknown>, where: string): UploadFile {
  const image = part.image_url;
  return imageOfUrl(isRecord(image) ? image.url : undefined, where, `${where}.image_url.url`);
}

/**
 * The image of an AI SDK UI message's file part, `{"type":"file","mediaType":"image/png",
 * "url":"data:image/png;base64,..."}` (what `useChat` sends for attachments): the same
 * images as {@linkcode imageOfPart}; a file that is not an image is a 400 naming the part.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageOfFilePart } from "./image_part.ts";
 * const url = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
 * assert.equal(imageOfFilePart({ type: "file", mediaType: "image/gif", url }, "part").type, "image/gif");
 * assert.throws(() => imageOfFilePart({ type: "file", mediaType: "application/pdf", url }, "part"), /not an image/);
 * ```
 */
export function imageOfFilePart(part: Record<string, unknown>, where: string): UploadFile {
  const { mediaType } = part;
  if (typeof mediaType === "string" && !/^image\//i.test(mediaType)) {
    throw badRequest(
      `${where} is a ${
        mediaType.slice(0, 60)
      } file, not an image: the bot takes PNG, JPEG, WebP or GIF images`,
      `${where}.mediaType`,
    );
  }
  return imageOfUrl(part.url, where, `${where}.url`);
}

/**
 * The image of a data: URL given at `param`, for the part at `where` (the Responses API's
 * `input_image` carries its URL as a plain string): the same images as
 * {@linkcode imageOfPart}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageOfUrl } from "./image_part.ts";
 * const url = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
 * assert.equal(imageOfUrl(url, "input[0]", "input[0].image_url").type, "image/gif");
 * ```
 */
export function imageOfUrl(url: unknown, where: string, param: string): UploadFile {
  if (typeof url !== "string") {
    throw badRequest(`${param} must be a data: URL`, param);
  }
  if (/^https?:/i.test(url)) {
    throw badRequest(
      `${where} is a remote image URL, which the gateway does not fetch: send the image as a data: URL (base64)`,
      param,
    );
  }
  const match = url.match(DATA_URL);
  if (!match) {
    throw badRequest(
      `${param} must be a base64 data: URL (data:image/png;base64,...)`,
      param,
    );
  }
  const type = match[1]!.toLowerCase();
  const base64 = match[2]!;
  const isType = SIGNATURES[type];
  if (!isType) {
    throw badRequest(
      `${where} is ${type.slice(0, 60)}; images must be PNG, JPEG, WebP or GIF`,
      param,
    );
  }
  // Checked before decoding: a huge one is refused without being copied.
  const size = Math.floor(base64.length * 3 / 4) - (base64.match(/=*$/)![0].length);
  if (size > MAX_IMAGE_BYTES) {
    throw badRequest(
      `${where} is ${size} bytes; images are at most ${MAX_IMAGE_BYTES} bytes (4 MiB)`,
      param,
    );
  }
  const bytes = decodeBase64(base64);
  if (bytes === null || !isType(bytes)) {
    throw badRequest(`${where} is not a valid ${type} image`, param);
  }
  return { bytes, type };
}

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> | null {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
