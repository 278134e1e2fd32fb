/**
 * What `end` carries besides the reply (`images`, `actions`, `shortcuts`, `blocks`) reaches
 * the webhook's JSON (top-level) and /v1 (namespaced as `mwai`, on the completion object
 * and on the chunk that finishes the choice).
 */
import assert from "node:assert/strict";
import { startGateway } from "./gateway.ts";
import { post, sseData } from "./http_client.ts";

const IMAGE = "https://example.com/wp-content/uploads/x.png";
const EXTRAS = {
  actions: [{ type: "function", data: { name: "open", args: { url: "/x" } } }],
  shortcuts: [{ type: "message", data: { label: "More", message: "Tell me more" } }],
  blocks: [{ type: "content", data: { html: "<b>Hi</b>" } }],
};
const USER = [{ role: "user", content: "Hello" }];

Deno.test("end's extras on every face that can carry them", async (t) => {
  await using gw = await startGateway({}, { images: [IMAGE], endExtras: EXTRAS });
  const expected = { images: [IMAGE], ...EXTRAS };

  await t.step("the webhook's JSON has them top-level", async () => {
    const answer = await (await post(gw.base, "/api/webhook", { message: "Hi" })).json();
    assert.deepEqual(
      {
        images: answer.images,
        actions: answer.actions,
        shortcuts: answer.shortcuts,
        blocks: answer.blocks,
      },
      expected,
    );
  });

  await t.step("/v1 stream: false has them as mwai", async () => {
    const completion = await (await post(gw.base, "/v1/chat/completions", { messages: USER }))
      .json();
    assert.deepEqual(completion.mwai, expected);
  });

  await t.step("/v1 streamed: the finishing chunk has them as mwai", async () => {
    const body = { stream: true, messages: USER };
    const events = sseData(await (await post(gw.base, "/v1/chat/completions", body)).text());
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data));
    const last = chunks.at(-1);
    assert.equal(last.choices[0].finish_reason, "stop");
    assert.deepEqual(last.mwai, expected);
    assert.ok(chunks.slice(0, -1).every((chunk) => chunk.mwai === undefined));
  });

  await t.step("a plain answer has no extras anywhere", async () => {
    gw.site.options = { nonce: gw.site.options.nonce };
    const answer = await (await post(gw.base, "/api/webhook", { message: "Hi" })).json();
    assert.deepEqual(Object.keys(answer), ["reply", "model", "usage"]);
    const completion = await (await post(gw.base, "/v1/chat/completions", { messages: USER }))
      .json();
    assert.equal(completion.mwai, undefined);
  });
});
