import assert from "node:assert/strict";
import { runtimeUpstream } from "../lib/runtime_upstream.ts";
import { AiEngineEmulator } from "./emulator/ai_engine_emulator.ts";

Deno.test("runtimeUpstream is made once per isolate, and reaches a real site", async () => {
  assert.equal(runtimeUpstream(), runtimeUpstream());
  await using site = await AiEngineEmulator.start({ nonce: "55b8d074d1" });
  const response = await runtimeUpstream()(`${site.restUrl}/mwai/v1/start_session`, {
    method: "POST",
    headers: { accept: "application/json" },
  });
  assert.equal(response.status, 200);
  let text = "";
  for (let bytes = await response.body.read(); bytes; bytes = await response.body.read()) {
    text += new TextDecoder().decode(bytes);
  }
  assert.equal(JSON.parse(text).restNonce, "55b8d074d1");
});
