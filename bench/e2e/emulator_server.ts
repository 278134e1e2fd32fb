/**
 * The AI Engine emulator in a process of its own, so that the gateway and the client
 * being measured do not share its thread. Options come as JSON in `EMULATOR_OPTIONS`
 * (`framing` among them: `apache` unless it or `MWAI_EMULATOR_FRAMING` says otherwise);
 * with `EMULATOR_TLS` (JSON `{ certPem, keyPem }`, see `tests/support/tls/test_ca.ts`) it
 * serves https, behind a {@linkcode startTlsFront}. It prints its URL and serves until killed.
 *
 * @module
 */
import { AiEngineEmulator, type EmulatorOptions } from "../../tests/emulator/ai_engine_emulator.ts";
import type { ServerCertificate } from "../../tests/support/loopback_server.ts";
import { startTlsFront } from "./tls_front.ts";

const options: EmulatorOptions = JSON.parse(Deno.env.get("EMULATOR_OPTIONS") ?? "{}");
const tls = Deno.env.get("EMULATOR_TLS");
const site = await AiEngineEmulator.start(options);
if (tls) {
  const front = await startTlsFront(
    Number(new URL(site.url).port),
    JSON.parse(tls) as ServerCertificate,
  );
  console.log(`https://127.0.0.1:${front.port}`);
} else {
  console.log(site.url);
}
