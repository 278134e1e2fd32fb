import assert from "node:assert/strict";
import { startGateway } from "./gateway.ts";

Deno.test("GET /embed.js", async (t) => {
  await using gw = await startGateway({ ALLOWED_ORIGINS: "https://allowed.example" });

  await t.step("is JavaScript that caches may keep, with an ETag", async () => {
    const response = await fetch(`${gw.base}/embed.js`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.match(response.headers.get("cache-control") ?? "", /^public, max-age=\d+/);
    assert.match(response.headers.get("etag") ?? "", /^(W\/)?"[^"]+"$/);
    assert.equal(response.headers.get("cross-origin-resource-policy"), "cross-origin");
    assert.equal(response.headers.get("vary"), "Origin", "sent without an Origin too");
    const source = await response.text();
    assert.match(source, /attachShadow/);
    assert.match(source, /api\/chat/);
    new Function(source); // it parses as a classic script
  });

  await t.step("answers 304 to a matching If-None-Match, weak or strong", async () => {
    const etag = (await fetch(`${gw.base}/embed.js`).then(async (r) => {
      await r.body?.cancel();
      return r.headers.get("etag");
    }))!;
    for (const tag of [etag, `W/${etag.replace(/^W\//, "")}`, `"other", ${etag}`]) {
      const response = await fetch(`${gw.base}/embed.js`, { headers: { "if-none-match": tag } });
      assert.equal(response.status, 304, tag);
      assert.equal(await response.text(), "");
      assert.equal(response.headers.get("etag"), etag);
      assert.equal(response.headers.get("vary"), "Origin", "a 304 says Vary as the 200 did");
    }
    const allowed = await fetch(`${gw.base}/embed.js`, {
      headers: { origin: "https://allowed.example", "if-none-match": etag },
    });
    assert.equal(allowed.status, 304);
    assert.equal(allowed.headers.get("vary"), "Origin");
    await allowed.body?.cancel();
    const changed = await fetch(`${gw.base}/embed.js`, { headers: { "if-none-match": '"old"' } });
    assert.equal(changed.status, 200);
    await changed.body?.cancel();
  });

  await t.step("is served without a key and to any script tag (no Origin is sent)", async () => {
    const response = await fetch(`${gw.base}/embed.js`);
    assert.equal(response.status, 200);
    await response.body?.cancel();
    const post = await fetch(`${gw.base}/embed.js`, { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET");
    await post.body?.cancel();
  });
});

Deno.test("GET / carries the same chat client as /embed.js", async () => {
  await using gw = await startGateway();
  const page = await (await fetch(`${gw.base}/`)).text();
  const embed = await (await fetch(`${gw.base}/embed.js`)).text();
  const client = embed.match(/function mountChat\(root, options\) \{[\s\S]*?\n\}\n/)?.[0];
  assert.ok(client, "no mountChat in /embed.js");
  assert.ok(page.includes(client), "the page's chat client differs from the widget's");
  assert.ok(!/<\/script/i.test(client), "the client would end the page's inline script");
});

Deno.test("with a Turnstile site key, / and /embed.js carry it, and /embed.js has its own ETag", async () => {
  await using plain = await startGateway();
  await using checked = await startGateway({
    TURNSTILE_SITE_KEY: "1x00000000000000000000AA",
    TURNSTILE_SECRET_KEY: "1x0000000000000000000000000000000AA",
  });
  const embed = async (base: string) => {
    const response = await fetch(`${base}/embed.js`);
    return { etag: response.headers.get("etag"), source: await response.text() };
  };
  const [without, withKey] = [await embed(plain.base), await embed(checked.base)];
  assert.match(withKey.source, /const TURNSTILE_SITE_KEY = "1x00000000000000000000AA";/);
  assert.match(without.source, /const TURNSTILE_SITE_KEY = null;/);
  assert.notEqual(withKey.etag, without.etag);
  const page = await (await fetch(`${checked.base}/`)).text();
  assert.match(page, /turnstileSiteKey: "1x00000000000000000000AA"/);
  assert.match(await (await fetch(`${plain.base}/`)).text(), /turnstileSiteKey: null/);
});

Deno.test("GET / lets only its own inline script, by hash, and Turnstile's run", async () => {
  await using gw = await startGateway();
  const response = await fetch(`${gw.base}/`);
  const page = await response.text();
  const script = page.match(/<script>([\s\S]*?)<\/script>/)?.[1] ?? "";
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script));
  const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
  const policy = response.headers.get("content-security-policy") ?? "";
  assert.ok(
    policy.includes(`script-src 'sha256-${hash}' https://challenges.cloudflare.com;`),
    policy,
  );
});
