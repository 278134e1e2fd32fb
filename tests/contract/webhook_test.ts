import assert from "node:assert/strict";
import { signBody } from "../../lib/gateway/request/signature.ts";
import { startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";

const SECRET = "whsec-test";

async function signed(body: string, timestamp = String(Math.floor(Date.now() / 1000))) {
  return {
    "x-signature-timestamp": timestamp,
    "x-signature-256": await signBody(SECRET, timestamp, new TextEncoder().encode(body)),
  };
}

Deno.test("POST /api/webhook", async (t) => {
  await using gw = await startGateway({ API_KEYS: "test-key", WEBHOOK_SECRET: SECRET });

  await t.step("a signed call gets the whole answer as one JSON object", async () => {
    const body = JSON.stringify({ message: "Hello" });
    const response = await post(gw.base, "/api/webhook", body, { headers: await signed(body) });
    assert.equal(response.status, 200);
    const answer = await response.json();
    assert.equal(answer.reply, ANSWER);
    assert.equal(answer.model, "default");
    assert.ok(answer.usage.total_tokens > 0);
  });

  await t.step("a call with a valid bearer key needs no signature", async () => {
    const response = await post(gw.base, "/api/webhook", {
      messages: [{ role: "user", content: "Hello" }],
    }, { headers: { authorization: "Bearer test-key" } });
    assert.equal((await response.json()).reply, ANSWER);
  });

  await t.step("a tampered body is 403 invalid_signature", async () => {
    const body = JSON.stringify({ message: "Hello" });
    const headers = await signed(body);
    const tampered = JSON.stringify({ message: "Hellp" });
    await assertError(
      await post(gw.base, "/api/webhook", tampered, { headers }),
      403,
      "invalid_signature",
    );
  });

  await t.step("the signature covers the raw bytes, not the parsed JSON", async () => {
    const body = JSON.stringify({ message: "Hello" });
    const headers = await signed(body);
    const reformatted = JSON.stringify({ message: "Hello" }, null, 2);
    await assertError(
      await post(gw.base, "/api/webhook", reformatted, { headers }),
      403,
      "invalid_signature",
    );
  });

  await t.step("a replayed call, older than 300 s, is 403 signature_expired", async () => {
    const body = JSON.stringify({ message: "Hello" });
    const old = String(Math.floor(Date.now() / 1000) - 301);
    await assertError(
      await post(gw.base, "/api/webhook", body, { headers: await signed(body, old) }),
      403,
      "signature_expired",
    );
  });

  await t.step(
    "a signed call is accepted once: its replay within 300 s is 403 signature_replayed",
    async () => {
      const body = JSON.stringify({ message: "Hello, once" });
      const headers = await signed(body);
      const first = await post(gw.base, "/api/webhook", body, { headers });
      assert.equal((await first.json()).reply, ANSWER);
      const submits = gw.site.submits.length;
      await assertError(
        await post(gw.base, "/api/webhook", body, { headers }),
        403,
        "signature_replayed",
      );
      const upper = {
        ...headers,
        "x-signature-256": `sha256=${headers["x-signature-256"].slice(7).toUpperCase()}`,
      };
      await assertError(
        await post(gw.base, "/api/webhook", body, { headers: upper }),
        403,
        "signature_replayed",
      );
      assert.equal(gw.site.submits.length, submits, "a replay never reaches the site");
    },
  );

  await t.step(
    "a caller without key or signature is refused before its body is judged",
    async () => {
      await assertError(await post(gw.base, "/api/webhook", "{not json"), 403, "invalid_signature");
      await assertError(
        await post(gw.base, "/api/webhook", "{not json", {
          headers: { "content-type": "text/plain" },
        }),
        403,
        "invalid_signature",
      );
      const body = "{not json";
      const headers = { ...await signed('{"message":"other"}'), "content-type": "text/plain" };
      await assertError(
        await post(gw.base, "/api/webhook", body, { headers }),
        403,
        "invalid_signature",
      );
    },
  );

  await t.step("no key and no signature is 403, a wrong key 401", async () => {
    await assertError(
      await post(gw.base, "/api/webhook", { message: "Hello" }),
      403,
      "invalid_signature",
    );
    await assertError(
      await post(gw.base, "/api/webhook", { message: "Hello" }, {
        headers: { authorization: "Bearer x" },
      }),
      401,
      "invalid_api_key",
    );
  });

  await t.step("a failure after text is the error JSON, never a partial reply", async () => {
    const body = JSON.stringify({ message: "Hello __fake:reset" });
    await assertError(
      await post(gw.base, "/api/webhook", body, { headers: await signed(body) }),
      502,
      "upstream_truncated",
    );
  });
});
