import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import { uploadFile, type UploadOptions } from "../../lib/ai_engine/file_upload.ts";
import { AiEngineSession } from "../../lib/ai_engine/session/ai_engine_session.ts";
import { SiteClient } from "../../lib/ai_engine/site/site_client.ts";
import type {
  UpstreamClient,
  UpstreamRequest,
  UpstreamResponse,
} from "../../lib/http/upstream_client.ts";
import { bytesOf } from "../../lib/streams/byte_source.ts";

const REST = "https://site.example/wp-json";
const GIF = {
  bytes: Uint8Array.from(atob("R0lGODlhAQABAAAAACw="), (c) => c.charCodeAt(0)),
  type: "image/gif",
};

/** An answer of `status` with `body` (JSON when not a string), and whether it was cancelled. */
function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const bytes = bytesOf([new TextEncoder().encode(text)]);
  const seen = { cancelled: false };
  const response: UpstreamResponse = {
    status,
    headers: new Headers(headers),
    body: { read: () => bytes.read(), cancel: () => (seen.cancelled = true, bytes.cancel()) },
  };
  return { response, seen };
}

/** A site that answers the uploads with `answers`, in turn, and start_session with `fresh`. */
function site(answers: UpstreamResponse[], fresh = "n2") {
  const uploads: UpstreamRequest[] = [];
  const options: UploadOptions = {
    restUrl: REST,
    timeoutMs: 1000,
    sessionId: "edge-0123456789abcdef01234567",
  };
  const client: UpstreamClient = (url, request) => {
    if (url.endsWith("/start_session")) {
      return Promise.resolve(answer(200, { success: true, restNonce: fresh }).response);
    }
    assert.equal(url, `${REST}/mwai-ui/v1/files/upload`);
    uploads.push(request);
    return Promise.resolve(answers.shift()!);
  };
  const session = new AiEngineSession({
    restUrl: REST,
    nonce: "n1",
    site: new SiteClient({ client }),
  });
  return { options, session, uploads };
}

const OK = { success: true, data: { id: "6a1f0c2b9d8e7f60a1b2c3d4e5f60718" } };
const REFUSED = { code: "rest_cookie_invalid_nonce", message: "Cookie check failed", data: {} };

Deno.test("an upload is one multipart POST with the nonce and the visitor's cookie, and gives the refId", async () => {
  const { options, session, uploads } = site([answer(200, OK).response]);
  assert.equal(await uploadFile(session, GIF, options), OK.data.id);
  assert.equal(uploads.length, 1);
  const { headers, body } = uploads[0]!;
  assert.equal(headers["x-wp-nonce"], "n1");
  assert.equal(headers.cookie, `mwai_session_id=${options.sessionId}`);
  assert.match(headers["content-type"]!, /^multipart\/form-data; boundary=/);
  const form = await new Response(body, { headers: { "content-type": headers["content-type"]! } })
    .formData();
  assert.equal(form.get("type"), "image");
  assert.equal(form.get("purpose"), "vision");
  const file = form.get("file") as File;
  assert.equal(file.name, "image.gif");
  assert.deepEqual(new Uint8Array(await file.arrayBuffer()), GIF.bytes);
});

Deno.test("1.9.94's numeric attachment id is taken as its digits", async () => {
  const { options, session } = site([answer(200, { success: true, data: { id: 1234 } }).response]);
  assert.equal(await uploadFile(session, GIF, options), "1234");
});

Deno.test("a refused nonce is renewed once; a second refusal is nonce_refused", async () => {
  const once = site([answer(403, REFUSED).response, answer(200, OK).response]);
  assert.equal(await uploadFile(once.session, GIF, once.options), OK.data.id);
  assert.deepEqual(once.uploads.map((upload) => upload.headers["x-wp-nonce"]), ["n1", "n2"]);

  const twice = site([
    answer(403, REFUSED).response,
    answer(401, { code: "rest_forbidden" }).response,
  ]);
  await assert.rejects(
    uploadFile(twice.session, GIF, twice.options),
    (error) => error instanceof AiEngineError && error.type === "nonce_refused",
  );
  assert.equal(twice.uploads.length, 2);
});

Deno.test("a redirect is not followed: upstream_failed, its body left unread, nothing sent again", async () => {
  const redirect = answer(302, "", { location: "https://elsewhere.example/upload" });
  const { options, session, uploads } = site([redirect.response]);
  await assert.rejects(uploadFile(session, GIF, options), (error) => {
    assert.ok(error instanceof AiEngineError);
    assert.equal(error.type, "upstream_failed");
    assert.equal(error.retryable, false, "a redirect stays until the setup changes");
    assert.ok(!error.message.includes("elsewhere"), error.message);
    return true;
  });
  assert.ok(redirect.seen.cancelled);
  assert.equal(uploads.length, 1);
});

Deno.test("the site's refusal of the file is rejected, in its words, cut short", async () => {
  const words = "Invalid file type.";
  const { options, session } = site([answer(400, { success: false, message: words }).response]);
  await assert.rejects(uploadFile(session, GIF, options), (error) => {
    assert.ok(error instanceof AiEngineError);
    assert.equal(error.type, "rejected");
    assert.equal(error.message, `AI Engine refused the image: ${words}`);
    return true;
  });
  const long = site([answer(400, { success: false, message: "x".repeat(5000) }).response]);
  await assert.rejects(
    uploadFile(long.session, GIF, long.options),
    (error) => error instanceof AiEngineError && error.message.length < 300,
  );
});

Deno.test("an answer that is not an upload's is malformed: HTML, no id, an id that is not one", async () => {
  for (
    const body of [
      "<html><body>Maintenance</body></html>",
      { success: true, data: {} },
      { success: true, data: { id: "a b\r\nX-Evil: 1" } },
      { success: true, data: { id: 1.5 } },
    ]
  ) {
    const { options, session } = site([answer(200, body).response]);
    await assert.rejects(
      uploadFile(session, GIF, options),
      (error) => error instanceof AiEngineError && error.type === "malformed",
      JSON.stringify(body),
    );
  }
});

Deno.test("a server error with a message is classified as the submit's are", async () => {
  const { options, session } = site([
    answer(500, { success: false, message: "Rate limit reached for gpt-4o" }).response,
  ]);
  await assert.rejects(
    uploadFile(session, GIF, options),
    (error) => error instanceof AiEngineError && error.type === "rate_limited",
  );
});
