import assert from "node:assert/strict";
import { RUNTIME, startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";

Deno.test("every route's edge: health, page, CORS, errors", async (t) => {
  await using gw = await startGateway({
    ALLOWED_ORIGINS: "https://allowed.example",
    MAX_BODY_BYTES: "2048",
  });

  await t.step("GET /healthz answers without calling the site", async () => {
    const before = gw.site.requests.length;
    const response = await fetch(`${gw.base}/healthz`);
    const body = await response.json();
    assert.equal(body.ok, true);
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.equal(gw.site.requests.length, before);
  });

  await t.step("GET / is the demo chat page", async () => {
    const response = await fetch(`${gw.base}/`);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    const html = await response.text();
    assert.match(html, /\/api\/chat/);
  });

  await t.step("a preflight from an allowed origin is answered with CORS headers", async () => {
    const response = await fetch(`${gw.base}/api/chat`, {
      method: "OPTIONS",
      headers: {
        origin: "https://allowed.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    await response.body?.cancel();
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), "https://allowed.example");
    assert.match(response.headers.get("access-control-allow-headers") ?? "", /content-type/);
    assert.match(response.headers.get("access-control-allow-methods") ?? "", /POST/);
  });

  await t.step("an allowed origin's request carries CORS headers, errors included", async () => {
    const ok = await post(gw.base, "/api/chat", { message: "Hello" }, {
      headers: { origin: "https://allowed.example" },
    });
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://allowed.example");
    assert.equal(await ok.text(), ANSWER);
    const bad = await post(gw.base, "/api/chat", { message: 1 }, {
      headers: { origin: "https://allowed.example" },
    });
    assert.equal(bad.headers.get("access-control-allow-origin"), "https://allowed.example");
    await assertError(bad, 400, "invalid_request");
  });

  await t.step(
    "an allowed origin may read the limits' headers and the Turnstile pass, errors included",
    async () => {
      const origin = { origin: "https://allowed.example" };
      const ok = await post(gw.base, "/api/chat", { message: "Hello" }, { headers: origin });
      const bad = await post(gw.base, "/api/chat", { message: 1 }, { headers: origin });
      for (const response of [ok, bad]) {
        const exposed = response.headers.get("access-control-expose-headers") ?? "";
        for (const name of ["x-gateway-pass", "retry-after", "ratelimit", "ratelimit-policy"]) {
          assert.ok(exposed.split(/\s*,\s*/).includes(name), `${name} not in "${exposed}"`);
        }
        await response.body?.cancel();
      }
      const own = await post(gw.base, "/api/chat", { message: "Hello" });
      assert.equal(own.headers.get("access-control-expose-headers"), null);
      await own.body?.cancel();
    },
  );

  await t.step(
    "a preflight that names no headers still allows the Turnstile token and pass",
    async () => {
      const response = await fetch(`${gw.base}/api/chat`, {
        method: "OPTIONS",
        headers: { origin: "https://allowed.example", "access-control-request-method": "POST" },
      });
      await response.body?.cancel();
      const allowed = response.headers.get("access-control-allow-headers") ?? "";
      assert.match(allowed, /x-turnstile-token/);
      assert.match(allowed, /x-gateway-pass/);
    },
  );

  await t.step(
    "another origin is refused with 403, preflight or not, and the site is not called",
    async () => {
      const before = gw.site.requests.length;
      const preflight = await fetch(`${gw.base}/api/chat`, {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      });
      assert.equal(preflight.headers.get("access-control-allow-origin"), null);
      await assertError(preflight, 403, "origin_not_allowed");
      const direct = await post(gw.base, "/api/chat", { message: "Hello" }, {
        headers: { origin: "https://evil.example" },
      });
      await assertError(direct, 403, "origin_not_allowed");
      assert.equal(gw.site.requests.length, before);
    },
  );

  await t.step(
    "a preflight allows the headers a client asks for (the OpenAI SDK's too)",
    async () => {
      const response = await fetch(`${gw.base}/v1/chat/completions`, {
        method: "OPTIONS",
        headers: {
          origin: "https://allowed.example",
          "access-control-request-method": "POST",
          "access-control-request-headers":
            "authorization, content-type, x-stainless-os, x-stainless-lang",
        },
      });
      await response.body?.cancel();
      assert.equal(response.status, 204);
      assert.match(response.headers.get("access-control-allow-headers") ?? "", /x-stainless-os/);
    },
  );

  // wrangler dev rewrites an Origin naming its own address to the upstream's (https:), so
  // there this shows nothing; tests/gateway/middleware/cors_test.ts holds the rule itself.
  await t.step({
    name: "an Origin of the same host but another scheme, port or with a user name is refused",
    ignore: RUNTIME === "workerd",
    fn: async () => {
      const { host, port } = new URL(gw.base);
      for (
        const origin of [
          gw.base.replace("http:", "https:"),
          `http://${host.replace(`:${port}`, `:${Number(port) + 1}`)}`,
          `http://user@${host}`,
          `http://user:pw@${host}`,
          `${gw.base}/`,
          `${gw.base}/path`,
        ]
      ) {
        const before = gw.site.submits.length;
        const response = await post(gw.base, "/api/chat", { message: "Hello" }, {
          headers: { origin },
        });
        await assertError(response, 403, "origin_not_allowed");
        assert.equal(gw.site.submits.length, before, origin);
      }
    },
  });

  await t.step("the gateway's own page may call it without CORS", async () => {
    const response = await post(gw.base, "/api/chat", { message: "Hello" }, {
      headers: { origin: gw.base },
    });
    assert.equal(await response.text(), ANSWER);
  });

  await t.step("an unknown route is 404, a wrong method 405 with Allow", async () => {
    await assertError(await fetch(`${gw.base}/v2/everything`), 404, "not_found");
    const response = await fetch(`${gw.base}/api/chat`);
    assert.equal(response.headers.get("allow"), "POST");
    await assertError(response, 405, "method_not_allowed");
  });

  await t.step("a body over MAX_BODY_BYTES is 413, with Content-Length or chunked", async () => {
    const big = JSON.stringify({ message: "x".repeat(4096) });
    await assertError(await post(gw.base, "/api/chat", big), 413, "request_too_large");
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(big);
        for (let i = 0; i < bytes.length; i += 512) controller.enqueue(bytes.slice(i, i + 512));
        controller.close();
      },
    });
    const response = await fetch(`${gw.base}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chunked,
    });
    await assertError(response, 413, "request_too_large");
  });

  await t.step("a body that is not JSON is 415 or 400", async () => {
    await assertError(
      await fetch(`${gw.base}/api/chat`, { method: "POST", body: "message=hi" }),
      415,
      "unsupported_media_type",
    );
    await assertError(await post(gw.base, "/api/chat", "{not json"), 400, "invalid_json");
  });

  await t.step("the server keeps serving after all of that", async () => {
    assert.equal(await (await post(gw.base, "/api/chat", { message: "Hello" })).text(), ANSWER);
  });
});

Deno.test("PUBLIC_URL settles the gateway's own origin (a proxy that ends TLS, DNS rebinding)", async (t) => {
  await using gw = await startGateway({ PUBLIC_URL: "https://chat.example.com/" });

  await t.step(
    "the page at PUBLIC_URL calls without CORS though the request says http:",
    async () => {
      const response = await post(gw.base, "/api/chat", { message: "Hello" }, {
        headers: { origin: "https://chat.example.com" },
      });
      assert.equal(await response.text(), ANSWER);
      assert.equal(response.headers.get("access-control-allow-origin"), null);
    },
  );

  await t.step("the Host the request names no longer makes an Origin its own", async () => {
    // Under DNS rebinding a page's Origin and the Host header agree on the attacker's name.
    const { port } = new URL(gw.base);
    for (const origin of [gw.base, `http://rebound.example:${port}`, "http://chat.example.com"]) {
      const response = await post(gw.base, "/api/chat", { message: "Hello" }, {
        headers: { origin, host: new URL(origin).host },
      });
      await assertError(response, 403, "origin_not_allowed");
    }
  });
});
