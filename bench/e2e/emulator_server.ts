/**
 * The AI Engine emulator in a process of its own, so that the gateway and the client
 * being measured do not share its thread. Options come as JSON in `EMULATOR_OPTIONS`
 * (`framing` among them: `apache` unless it or `MWAI_EMULATOR_FRAMING` says otherwise);
 * it prints its URL and serves until killed.
 *
 * @module
 */
import { AiEngineEmulator, type EmulatorOptions } from "../../tests/emulator/ai_engine_emulator.ts";

const options: EmulatorOptions = JSON.parse(Deno.env.get("EMULATOR_OPTIONS") ?? "{}");
const site = await AiEngineEmulator.start(options);
console.log(site.url);
