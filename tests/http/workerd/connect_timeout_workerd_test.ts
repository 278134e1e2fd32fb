/**
 * The connect bound in workerd (`wrangler dev`), where the probe is `cloudflare:sockets`:
 * the same cases as `../connect_timeout_test.ts` on Deno. The site is named `localhost`:
 * `wrangler dev` refuses a socket to an IP literal such as 127.0.0.1 (then the probe says
 * nothing and only the caller's bound holds, as for a site behind Cloudflare).
 */
import assert from "node:assert/strict";
import { AiEngineEmulator } from "../../emulator/ai_engine_emulator.ts";
import { SilentSite } from "../../support/silent_site.ts";
import { startWorker } from "./start_worker.ts";

Deno.test({
  name: "connect bound in workerd",
  // It starts a wrangler of its own: it runs with the workerd suite (`deno task test:workerd`).
  ignore: Deno.env.get("MWAI_TEST_RUNTIME") !== "workerd",
}, async (t) => {
  await using worker = await startWorker(new URL("./connect_bound_worker.ts", import.meta.url));
  const ask = async (url: string, connectTimeoutMs: number, method = "GET") =>
    await (await fetch(`${worker.base}/?${new URLSearchParams({
      url,
      connectTimeoutMs: String(connectTimeoutMs),
      method,
    })}`)).json();

  await t.step(
    "a site that never finishes the TLS handshake fails with ConnectTimeout",
    async () => {
      await using site = new SilentSite();
      const url = site.url.replace("127.0.0.1", "localhost");
      assert.deepEqual(await ask(url, 300), { outcome: "ConnectTimeout" });
      // fetch's connection and the probe's.
      assert.equal(site.held.length, 2);
    },
  );

  await t.step("a site that takes connections but is slow to answer is waited for", async () => {
    await using site = await AiEngineEmulator.start({ startSessionDelayMs: 900 });
    const url = `${site.restUrl.replace("127.0.0.1", "localhost")}/mwai/v1/start_session`;
    assert.deepEqual(await ask(url, 200, "POST"), { outcome: "answered", status: 200 });
    assert.equal(site.connections, 2);
  });
});
