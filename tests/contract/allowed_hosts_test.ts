/**
 * The names the gateway answers to (`ALLOWED_HOSTS`, `PUBLIC_URL`), over raw HTTP: a
 * client's fetch cannot choose the `Host` it sends, a browser under DNS rebinding does.
 *
 * Under `wrangler dev`, a proxy in front of workerd rewrites every URL in a header whose
 * host is the request's `Host` to the worker's own origin (wrangler's ProxyWorker,
 * `rewriteUrlRelatedHeaders`): there an `Origin` naming the `Host` arrives as `http://`
 * and without its user name, whatever was sent. Cloudflare passes it on as sent; the test
 * of a user name goes past the proxy (`workerBehindProxy`).
 */
import assert from "node:assert/strict";
import { type Gateway, RUNTIME, startGateway } from "./gateway.ts";
import { ANSWER } from "./http_client.ts";
import { rawHttp, type RawHttpAnswer } from "../support/http1/raw_client.ts";
import { workerBehindProxy } from "./workerd_direct.ts";

/** POSTs a message to `/api/chat` naming `host`, with more headers when given. */
function ask(gw: Pick<Gateway, "base">, host: string, headers: Record<string, string> = {}) {
  return rawHttp(gw.base, {
    method: "POST",
    target: "/api/chat",
    headers: { host, "content-type": "application/json", connection: "close", ...headers },
    body: JSON.stringify({ message: "Hello" }),
  });
}

function header(answer: RawHttpAnswer, name: string): string | null {
  const line = answer.head.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line === undefined ? null : line.slice(name.length + 1).trim();
}

/** The error of a raw answer, checked to be OpenAI's shape with this status and code. */
function assertRawError(answer: RawHttpAnswer, status: number, code: string) {
  assert.equal(answer.status, status, answer.text.slice(0, 500));
  assert.match(header(answer, "content-type") ?? "", /^application\/json/);
  const { error } = JSON.parse(answer.content);
  assert.equal(error.code, code);
  return error as { message: string; type: string };
}

Deno.test({
  name: "a gateway that serves itself refuses the DNS-rebinding request before the site is asked",
  // wrangler dev runs the Workers runtime, where the platform routes the names: see below.
  ignore: RUNTIME === "workerd",
  fn: async () => {
    await using gw = await startGateway();
    const port = new URL(gw.base).port;
    const before = gw.site.requests.length;
    const rebound = await ask(gw, `evil.example:${port}`, {
      origin: `http://evil.example:${port}`,
    });
    const error = assertRawError(rebound, 421, "misdirected_request");
    assert.match(error.message, /evil\.example:\d+.*ALLOWED_HOSTS/);
    assert.equal(header(rebound, "x-should-retry"), "false");
    assert.equal(gw.site.requests.length, before, "the site was asked");
    // Loopback names and addresses stay served: the gateway's own page on 127.0.0.1.
    const own = await ask(gw, `127.0.0.1:${port}`, { origin: gw.base });
    assert.equal(own.status, 200);
    assert.equal(own.content, ANSWER);
    assert.equal(header(own, "access-control-allow-origin"), null);
    const local = await ask(gw, `localhost:${port}`);
    assert.equal(local.content, ANSWER);
  },
});

Deno.test("ALLOWED_HOSTS names the names served, on every runtime, and its pages are own", async (t) => {
  await using gw = await startGateway({ ALLOWED_HOSTS: "chat.example.com, .intranet.example" });
  const port = new URL(gw.base).port;

  await t.step("a request for another name is refused before CORS, keys and limits", async () => {
    const before = gw.site.requests.length;
    for (const host of [`evil.example:${port}`, "evil.example", "chat.example.com.evil.example"]) {
      assertRawError(await ask(gw, host, { origin: `http://${host}` }), 421, "misdirected_request");
    }
    const preflight = await rawHttp(gw.base, {
      method: "OPTIONS",
      target: "/api/chat",
      headers: {
        host: "evil.example",
        origin: "http://evil.example",
        "access-control-request-method": "POST",
        connection: "close",
      },
    });
    assertRawError(preflight, 421, "misdirected_request");
    const health = await rawHttp(gw.base, {
      method: "GET",
      target: "/healthz",
      headers: { host: "evil.example", connection: "close" },
    });
    assertRawError(health, 421, "misdirected_request");
    assert.equal(gw.site.requests.length, before);
  });

  await t.step("a named host is served, and its own page needs no CORS", async () => {
    for (const host of [`chat.example.com:${port}`, `wiki.intranet.example:${port}`]) {
      const answer = await ask(gw, host, { origin: `http://${host}` });
      assert.equal(answer.content, ANSWER, host);
      assert.equal(header(answer, "access-control-allow-origin"), null);
    }
  });

  await t.step("the own origin is compared whole: another port or scheme needs CORS", async () => {
    // Past wrangler dev's proxy, which would make the https: one http: (see the top).
    const base = RUNTIME === "workerd" ? await workerBehindProxy(gw.base) : gw.base;
    const served = `chat.example.com:${new URL(base).port}`;
    for (
      const origin of [
        `http://chat.example.com:${Number(new URL(base).port) + 1}`,
        `https://${served}`,
        "http://evil.example",
      ]
    ) {
      assertRawError(await ask({ base }, served, { origin }), 403, "origin_not_allowed");
    }
    assert.equal((await ask({ base }, served, { origin: `http://${served}` })).content, ANSWER);
  });

  await t.step("the start-up log lists the names served", async () => {
    assert.match(await gw.output(), /Serving localhost, .*chat\.example\.com, intranet\.example/);
  });
});

Deno.test("PUBLIC_URL alone sets up a gateway behind a reverse proxy", async () => {
  await using gw = await startGateway({ PUBLIC_URL: "https://chat.example.com/" });
  // The proxy ends TLS and passes the public name on; the page is at PUBLIC_URL.
  const { port } = new URL(gw.base);
  const proxied = await ask(gw, `chat.example.com:${port}`, {
    origin: "https://chat.example.com",
  });
  assert.equal(proxied.content, ANSWER);
  assert.equal(header(proxied, "access-control-allow-origin"), null);
  if (RUNTIME !== "workerd") {
    const rebound = await ask(gw, "evil.example", { origin: "http://evil.example" });
    const error = assertRawError(rebound, 421, "misdirected_request");
    assert.match(error.message, /PUBLIC_URL/);
  }
});

Deno.test("an Origin with a user name before the gateway's own address is refused", async () => {
  await using gw = await startGateway();
  // Past wrangler dev's proxy, which would drop the user name (see the top of this file).
  const base = RUNTIME === "workerd" ? await workerBehindProxy(gw.base) : gw.base;
  const { host } = new URL(base);
  const before = gw.site.submits.length;
  for (const origin of [`http://ok.example@${host}`, `http://user:pw@${host}`]) {
    const answer = await ask({ base }, host, { origin });
    assertRawError(answer, 403, "origin_not_allowed");
  }
  assert.equal(gw.site.submits.length, before);
  // The same request from the bare origin is the gateway's own page.
  assert.equal((await ask({ base }, host, { origin: `http://${host}` })).content, ANSWER);
});

Deno.test({
  name: "on Workers with nothing set, the platform's routing decides: any name is served",
  ignore: RUNTIME !== "workerd",
  fn: async () => {
    await using gw = await startGateway();
    const answer = await ask(gw, "routed.example");
    assert.equal(answer.content, ANSWER);
    assert.match(await gw.output(), /Serving any name \(Cloudflare Workers\)/);
  },
});
