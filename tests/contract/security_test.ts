/**
 * Security: secrets stay secret, no request can point the gateway elsewhere, and a
 * client's credentials never travel upstream.
 */
import assert from "node:assert/strict";
import { signBody } from "../../lib/gateway/request/signature.ts";
import { startGateway } from "./gateway.ts";
import { ANSWER, post } from "./http_client.ts";

const API_KEY = "sk-gateway-9f8e7d6c5b4a";
const WEBHOOK_SECRET = "whsec-3c2b1a0f9e8d";
const NONCE = "a1b2c3d4e5";

Deno.test("security", async (t) => {
  await using gw = await startGateway({
    API_KEYS: API_KEY,
    WEBHOOK_SECRET,
    AI_ENGINE_NONCE: NONCE,
    UPSTREAM_TIMEOUT_MS: "600",
  }, { nonce: NONCE });
  const auth = { authorization: `Bearer ${API_KEY}` };

  await t.step("no request can send the gateway to another host (no SSRF)", async () => {
    const trap = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const trapUrl = `http://127.0.0.1:${(trap.addr as Deno.NetAddr).port}`;
    let trapped = 0;
    const accepting = (async () => {
      for await (const conn of trap) {
        trapped++;
        conn.close();
      }
    })();
    const before = gw.site.submits.length;
    for (
      const key of ["url", "site", "restUrl", "AI_ENGINE_URL", "AI_ENGINE_REST_URL", "endpoint"]
    ) {
      const response = await post(gw.base, "/api/chat", { message: "Hello", [key]: trapUrl }, {
        headers: {
          ...auth,
          "x-forwarded-host": trapUrl.slice(7),
          forwarded: `host=${trapUrl.slice(7)}`,
        },
      });
      assert.equal(await response.text(), ANSWER);
    }
    const viaHost = await fetch(`${gw.base}/api/chat`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", host: trapUrl.slice(7) },
      body: JSON.stringify({ message: "Hello" }),
    });
    assert.equal(await viaHost.text(), ANSWER);
    assert.equal(gw.site.submits.length, before + 7);
    trap.close();
    await accepting;
    assert.equal(trapped, 0, "a request reached the trap");
  });

  await t.step("errors of every kind never echo a key, the secret or the nonce", async () => {
    const responses: Response[] = [
      await post(gw.base, "/api/chat", { message: "Hello" }, {
        headers: { authorization: "Bearer wrong" },
      }),
      await post(gw.base, "/api/chat", { message: 5 }, { headers: auth }),
      await post(gw.base, "/api/chat", { message: "Hello __fake:500" }, { headers: auth }),
      await post(gw.base, "/api/chat", { message: "Hello __fake:stall:0" }, { headers: auth }),
      await post(gw.base, "/api/chat", { message: "Hello __fake:malformed:0" }, { headers: auth }),
      await post(gw.base, "/api/webhook", { message: "Hello" }, {
        headers: { "x-signature-timestamp": "1", "x-signature-256": `sha256=${"0".repeat(64)}` },
      }),
      await post(gw.base, "/api/webhook", JSON.stringify({ message: "Hello" }), {
        headers: {
          "x-signature-timestamp": String(Math.floor(Date.now() / 1000)),
          "x-signature-256": await signBody("not-the-secret", "0", new TextEncoder().encode("{}")),
        },
      }),
      await post(gw.base, "/v1/chat/completions", {
        messages: [{ role: "user", content: "Hello __fake:cut" }],
        stream: true,
      }, {
        headers: auth,
      }),
    ];
    gw.site.rotateNonce(); // the fixed nonce is refused from now on: a refresh path too
    responses.push(await post(gw.base, "/api/chat", { message: "Hello" }, { headers: auth }));
    for (const response of responses) {
      const text = (await response.text()) + JSON.stringify([...response.headers]);
      for (const secret of [API_KEY, WEBHOOK_SECRET, NONCE]) {
        assert.ok(
          !text.includes(secret),
          `${response.status} echoes a secret: ${text.slice(0, 300)}`,
        );
      }
    }
    const logs = JSON.stringify(await gw.logs());
    for (const secret of [API_KEY, WEBHOOK_SECRET, NONCE, "Hello"]) {
      assert.ok(!logs.includes(secret), `the log holds ${secret}`);
    }
  });

  await t.step("the site's cookies and headers never reach the client", async () => {
    const response = await post(gw.base, "/api/chat", { message: "Hello" }, { headers: auth });
    await response.text();
    for (const name of ["set-cookie", "x-wp-nonce", "x-powered-by", "link", "x-robots-tag"]) {
      assert.equal(response.headers.get(name), null, `${name} leaked`);
    }
  });
});
