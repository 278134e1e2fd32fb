import assert from "node:assert/strict";
import { testCertificates } from "./test_ca.ts";
import { AiEngineEmulator } from "../../emulator/ai_engine_emulator.ts";

Deno.test("a client that trusts the test CA reaches the emulator over TLS", async () => {
  const certificates = await testCertificates();
  await using site = await AiEngineEmulator.start({ nonce: "55b8d074d1" }, certificates);
  assert.match(site.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  using client = Deno.createHttpClient({ caCerts: [certificates.caPem] });
  const response = await fetch(`${site.restUrl}/mwai/v1/start_session`, {
    method: "POST",
    client,
  });
  assert.equal((await response.json()).restNonce, "55b8d074d1");
});

Deno.test("a client that does not trust the test CA is refused by the handshake", async () => {
  await using site = await AiEngineEmulator.start({}, await testCertificates());
  await assert.rejects(fetch(`${site.restUrl}/mwai/v1/start_session`, { method: "POST" }));
});
