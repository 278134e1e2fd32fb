import assert from "node:assert/strict";
import { closeKeptConnections, runtimeUpstream } from "../lib/runtime_upstream.ts";
import { AiEngineEmulator } from "./emulator/ai_engine_emulator.ts";

async function startSession(site: AiEngineEmulator): Promise<string> {
  const response = await runtimeUpstream()(`${site.restUrl}/mwai/v1/start_session`, {
    method: "POST",
    headers: { accept: "application/json" },
  });
  assert.equal(response.status, 200);
  let text = "";
  for (let bytes = await response.body.read(); bytes; bytes = await response.body.read()) {
    text += new TextDecoder().decode(bytes);
  }
  return JSON.parse(text).restNonce;
}

Deno.test("runtimeUpstream is made once per isolate, reaches a real site and keeps its connection", async () => {
  assert.equal(runtimeUpstream(), runtimeUpstream());
  await using site = await AiEngineEmulator.start({ nonce: "55b8d074d1" });
  assert.equal(await startSession(site), "55b8d074d1");
  assert.equal(await startSession(site), "55b8d074d1");
  assert.equal(site.connections, 1);
  await closeKeptConnections();
  assert.equal(await startSession(site), "55b8d074d1");
  assert.equal(site.connections, 2, "closed, the kept connection is not used again");
  await closeKeptConnections();
});
