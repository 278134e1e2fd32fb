/**
 * Images in, for vision bots: OpenAI `image_url` parts with data URLs are uploaded to the
 * site first (`mwai-ui/v1/files/upload`, as the plugin's own client does), then named in
 * the submit (`newFileId`, or `newFileIds` for several). Remote URLs are refused.
 */
import assert from "node:assert/strict";
import { startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";

const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const GIF_BASE64 = "R0lGODlhAQABAAAAACw=";
const PNG = `data:image/png;base64,${PNG_BASE64}`;
const GIF = `data:image/gif;base64,${GIF_BASE64}`;
const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const image = (url: string) => ({ type: "image_url", image_url: { url } });
const asking = (...parts: unknown[]) => ({
  model: "default",
  messages: [{ role: "user", content: [{ type: "text", text: "What is this?" }, ...parts] }],
});

Deno.test("image_url parts reach a vision bot as uploaded files", async (t) => {
  await using gw = await startGateway({ MAX_BODY_BYTES: "8000000" });
  const uploads = () => gw.site.requests.filter((r) => r.route === "/mwai-ui/v1/files/upload");
  const submitted = () => gw.site.submits.at(-1)!.body as Record<string, unknown>;
  const complete = async (body: unknown) => {
    const response = await post(gw.base, "/v1/chat/completions", body);
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal((await response.json()).choices[0].message.content, ANSWER);
  };

  await t.step("one image is uploaded with the nonce, then sent as newFileId", async () => {
    await complete(asking(image(PNG)));
    assert.equal(uploads().length, 1);
    assert.equal(uploads()[0]!.headers.get("x-wp-nonce"), gw.site.options.nonce);
    const [id, file] = [...gw.site.files][0]!;
    assert.deepEqual(file!.bytes, bytesOf(PNG_BASE64));
    assert.equal(file!.type, "image/png");
    assert.deepEqual(file!.fields, { type: "image", purpose: "vision" });
    const body = submitted();
    assert.equal(body.newFileId, id);
    assert.ok(!("newFileIds" in body));
    assert.equal(body.newMessage, "What is this?");
  });

  await t.step("two images are sent as newFileIds, the first as newFileId too", async () => {
    gw.site.files.clear();
    await complete(asking(image(PNG), image(GIF)));
    const ids = [...gw.site.files.keys()];
    assert.equal(ids.length, 2);
    assert.equal(gw.site.files.get(ids[1]!)!.type, "image/gif");
    assert.deepEqual([submitted().newFileId, submitted().newFileIds], [ids[0], ids]);
    assert.deepEqual(gw.site.queries.at(-1)!.files, ids);
  });

  await t.step(
    "a site before 2.9.7, which reads newFileId only, sees the first image",
    () =>
      gw.site.playing({ version: "2.4.4+" }, async () => {
        gw.site.files.clear();
        await complete(asking(image(GIF), image(PNG)));
        const ids = [...gw.site.files.keys()];
        assert.deepEqual(gw.site.queries.at(-1)!.files, [ids[0]]);
      }),
  );

  await t.step("an image alone, with no text, is a message", async () => {
    const body = { messages: [{ role: "user", content: [image(GIF)] }] };
    await complete(body);
    assert.equal(submitted().newMessage, "");
  });

  await t.step("a remote image URL is refused, and nothing is fetched or sent", async () => {
    const before = gw.site.requests.length;
    const error = await assertError(
      await post(gw.base, "/v1/chat/completions", asking(image("https://example.com/cat.png"))),
      400,
      "invalid_request",
    );
    assert.equal(error.param, "messages[0].content[1].image_url.url");
    assert.match(error.message, /remote image URL/);
    assert.equal(gw.site.requests.length, before);
  });

  await t.step("a type other than PNG, JPEG, WebP or GIF is refused, naming the part", async () => {
    const svg = `data:image/svg+xml;base64,${btoa("<svg/>")}`;
    const error = await assertError(
      await post(gw.base, "/v1/chat/completions", asking(image(PNG), image(svg))),
      400,
      "invalid_request",
    );
    assert.equal(error.param, "messages[0].content[2].image_url.url");
    assert.match(error.message, /image\/svg\+xml/);
  });

  await t.step("bytes that are not the image type they claim are refused", async () => {
    const fake = `data:image/png;base64,${btoa("not a png at all")}`;
    await assertError(
      await post(gw.base, "/v1/chat/completions", asking(image(fake))),
      400,
      "invalid_request",
    );
  });

  await t.step("an image over 4 MiB is refused before anything is sent", async () => {
    const before = gw.site.requests.length;
    const big = new Uint8Array(4 * 1024 * 1024 + 3);
    big.set(bytesOf(PNG_BASE64));
    let binary = "";
    for (let i = 0; i < big.length; i += 8192) {
      binary += String.fromCharCode(...big.subarray(i, i + 8192));
    }
    const error = await assertError(
      await post(
        gw.base,
        "/v1/chat/completions",
        asking(image(`data:image/png;base64,${btoa(binary)}`)),
      ),
      400,
      "invalid_request",
    );
    assert.match(error.message, /at most 4194304 bytes/);
    assert.equal(gw.site.requests.length, before);
  });
});

Deno.test("the emulated site refuses an upload without a nonce, as AI Engine 2.0+ does", async () => {
  await using gw = await startGateway();
  const form = new FormData();
  form.append("file", new Blob([bytesOf(PNG_BASE64)], { type: "image/png" }), "a.png");
  form.append("purpose", "vision");
  const response = await fetch(`${gw.site.restUrl}/mwai-ui/v1/files/upload`, {
    method: "POST",
    body: form,
  });
  assert.equal(response.status, 401);
  assert.equal((await response.json()).code, "rest_forbidden");
});
