import assert from "node:assert/strict";
import { HttpError } from "../../../lib/gateway/http_error.ts";
import {
  imageOfFilePart,
  imageOfPart,
  MAX_IMAGE_BYTES,
} from "../../../lib/gateway/request/image_part.ts";

/** The smallest files each type's magic accepts, as bytes. */
const MAGIC: Record<string, number[]> = {
  "image/png": [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  "image/jpeg": [0xff, 0xd8, 0xff, 0xe0],
  "image/gif": [...new TextEncoder().encode("GIF89a")],
  "image/webp": [...new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 ")],
};

/** Base64 of `bytes`, in pieces whose length is a multiple of 3 so they join. */
function base64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 3 * 8192) {
    text += btoa(String.fromCharCode(...bytes.subarray(i, i + 3 * 8192)));
  }
  return text;
}

const dataUrl = (type: string, bytes: Uint8Array | number[]) =>
  `data:${type};base64,${base64(Uint8Array.from(bytes))}`;
const imagePart = (url: unknown) => ({ type: "image_url", image_url: { url } });

/** Asserts `fn` throws a 400 for `param` whose message matches `message`. */
function assertRefused(fn: () => unknown, param: string, message: RegExp) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof HttpError);
    assert.deepEqual([error.status, error.param], [400, param]);
    assert.match(error.message, message);
    return true;
  });
}

Deno.test("a PNG, JPEG, GIF or WebP data: URL is its bytes and type", () => {
  for (const [type, bytes] of Object.entries(MAGIC)) {
    const image = imageOfPart(imagePart(dataUrl(type, bytes)), "part");
    assert.deepEqual([image.type, [...image.bytes]], [type, bytes]);
  }
});

Deno.test("the type is read in any case and given back in lower case", () => {
  const image = imageOfPart(imagePart(dataUrl("IMAGE/PNG", MAGIC["image/png"]!)), "part");
  assert.equal(image.type, "image/png");
});

Deno.test("bytes that do not begin with their type's magic are refused", () => {
  assertRefused(
    () => imageOfPart(imagePart(dataUrl("image/jpeg", MAGIC["image/png"]!)), "part"),
    "part.image_url.url",
    /^part is not a valid image\/jpeg image$/,
  );
  const riffNotWebp = [...new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt ")];
  assertRefused(
    () => imageOfPart(imagePart(dataUrl("image/webp", riffNotWebp)), "part"),
    "part.image_url.url",
    /not a valid image\/webp/,
  );
});

Deno.test("another type, an image or not, is refused naming the types taken", () => {
  for (const type of ["image/svg+xml", "image/bmp", "text/html"]) {
    assertRefused(
      () => imageOfPart(imagePart(dataUrl(type, [1, 2, 3])), "part"),
      "part.image_url.url",
      /images must be PNG, JPEG, WebP or GIF/,
    );
  }
});

Deno.test("a remote URL is refused: the gateway fetches nothing for a client", () => {
  for (const url of ["https://example.com/cat.png", "HTTP://example.com/cat.png"]) {
    assertRefused(
      () => imageOfPart(imagePart(url), "part"),
      "part.image_url.url",
      /remote image URL.*data: URL/,
    );
  }
});

Deno.test("a URL that is missing, not a string, or not base64 data is a 400 naming the field", () => {
  assertRefused(() => imageOfPart({ type: "image_url" }, "p"), "p.image_url.url", /must be a data/);
  assertRefused(() => imageOfPart(imagePart(42), "p"), "p.image_url.url", /must be a data: URL/);
  for (const url of ["data:image/png,rawbytes", "data:image/png;base64,@@@", "file:///a.png"]) {
    assertRefused(() => imageOfPart(imagePart(url), "p"), "p.image_url.url", /base64 data: URL/);
  }
});

Deno.test("base64 that does not decode is not a valid image", () => {
  assertRefused(
    () => imageOfPart(imagePart("data:image/png;base64,iVBORw0K="), "part"),
    "part.image_url.url",
    /not a valid image\/png/,
  );
});

Deno.test("an image of exactly 4 MiB is taken; one byte more is refused before decoding", () => {
  const atBound = new Uint8Array(MAX_IMAGE_BYTES);
  atBound.set(MAGIC["image/png"]!);
  assert.equal(
    imageOfPart(imagePart(dataUrl("image/png", atBound)), "p").bytes.length,
    atBound.length,
  );
  const over = new Uint8Array(MAX_IMAGE_BYTES + 1);
  over.set(MAGIC["image/png"]!);
  assertRefused(
    () => imageOfPart(imagePart(dataUrl("image/png", over)), "p"),
    "p.image_url.url",
    new RegExp(`^p is ${MAX_IMAGE_BYTES + 1} bytes; images are at most ${MAX_IMAGE_BYTES} bytes`),
  );
});

Deno.test("a UI file part that is an image is read as one; its field is url", () => {
  const url = dataUrl("image/gif", MAGIC["image/gif"]!);
  const image = imageOfFilePart({ type: "file", mediaType: "image/gif", url }, "part");
  assert.equal(image.type, "image/gif");
  assertRefused(
    () => imageOfFilePart({ type: "file", mediaType: "image/gif", url: 7 }, "part"),
    "part.url",
    /^part\.url must be a data: URL$/,
  );
});

Deno.test("a UI file part that is not an image is refused by its mediaType, before its data is read", () => {
  assertRefused(
    () => imageOfFilePart({ type: "file", mediaType: "application/pdf", url: 7 }, "part"),
    "part.mediaType",
    /^part is a application\/pdf file, not an image/,
  );
});

Deno.test("a UI file part without a mediaType is judged by its data: URL", () => {
  const url = dataUrl("image/png", MAGIC["image/png"]!);
  assert.equal(imageOfFilePart({ type: "file", url }, "part").type, "image/png");
});
