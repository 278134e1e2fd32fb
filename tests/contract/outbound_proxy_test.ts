/**
 * The outbound proxy: on Deno the upstream calls honour `HTTP_PROXY` / `HTTPS_PROXY` /
 * `NO_PROXY` from the process environment (Deno's fetch reads them itself); on Workers
 * there is no such thing, and the same names are only unused variables.
 */
import assert from "node:assert/strict";
import { ForwardProxy } from "../proxy/forward_proxy.ts";
import { RUNTIME, startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";

const ask = (base: string) => post(base, "/api/chat", { message: "Hello" });

Deno.test({
  name: "on Deno the upstream calls go through HTTP_PROXY, except NO_PROXY hosts",
  // The proxy is read from the environment of a real `deno serve` process; an in-process
  // gateway would share this test process's environment, so only the child runs it.
  ignore: RUNTIME !== "deno",
  async fn(t) {
    await using proxy = ForwardProxy.start();

    await t.step("start_session and submit both go through the proxy", async () => {
      await using gw = await startGateway({ HTTP_PROXY: proxy.url, NO_PROXY: "", no_proxy: "" });
      assert.equal(await (await ask(gw.base)).text(), ANSWER);
      assert.deepEqual(proxy.seen, [
        { method: "POST", target: `${gw.site.restUrl}/mwai/v1/start_session` },
        { method: "POST", target: `${gw.site.restUrl}/mwai-ui/v1/chats/submit` },
      ]);
    });

    await t.step("the streamed answer still arrives piece by piece through it", async () => {
      await using gw = await startGateway({ HTTP_PROXY: proxy.url, NO_PROXY: "", no_proxy: "" });
      gw.site.options.pieceDelayMs = 60;
      const response = await ask(gw.base);
      let pieces = 0;
      for await (const _ of response.body!) pieces++;
      assert.ok(pieces >= 4, `only ${pieces} pieces: the proxy path buffered the answer`);
    });

    await t.step("a host in NO_PROXY is called directly", async () => {
      const before = proxy.seen.length;
      await using gw = await startGateway({ HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" });
      assert.equal(await (await ask(gw.base)).text(), ANSWER);
      assert.equal(proxy.seen.length, before);
    });

    await t.step("an https site is reached through HTTPS_PROXY with CONNECT", async () => {
      // The emulator speaks plain HTTP, so the TLS handshake inside the tunnel fails: the
      // point is the CONNECT the proxy saw.
      await using gw = await startGateway((site) => ({
        AI_ENGINE_URL: site.url.replace("http:", "https:"),
        HTTPS_PROXY: proxy.url,
        NO_PROXY: "",
        no_proxy: "",
      }));
      const before = proxy.seen.length;
      await assertError(await ask(gw.base), 502, "upstream_unreachable");
      assert.deepEqual(proxy.seen[before], {
        method: "CONNECT",
        target: new URL(gw.site.url).host,
      });
    });
  },
});

Deno.test({
  name: "on Workers HTTP_PROXY is only a variable: the upstream calls go direct",
  ignore: RUNTIME !== "workerd",
  async fn() {
    await using proxy = ForwardProxy.start();
    await using gw = await startGateway({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url });
    assert.equal(await (await ask(gw.base)).text(), ANSWER);
    assert.deepEqual(proxy.seen, []);
    assert.equal(gw.site.submits.length, 1);
  },
});
