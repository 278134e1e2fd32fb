/**
 * `deno task demo`: the gateway in front of a local AI Engine emulator, for trying it
 * without a WordPress site. Open http://localhost:8000/ (or `PORT`) and chat offline;
 * the answers are the emulator's, and the page and the log say so.
 */
import { createApp } from "../lib/gateway/app.ts";
import { parseConfig } from "../lib/gateway/config.ts";
import { AiEngineEmulator } from "../tests/emulator/ai_engine_emulator.ts";

const ANSWER = "This is the offline demo: the answer comes from a local AI Engine emulator, " +
  "streamed word by word through mwai-edge exactly as a real site's would be. " +
  "Set AI_ENGINE_URL and run `deno task start` to talk to your own WordPress site.";

const site = await AiEngineEmulator.start({ answer: ANSWER, pieces: 40, pieceDelayMs: 40 });
const notice =
  `Offline demo: answers come from the AI Engine emulator at ${site.url}, not from a real site.`;
console.log(JSON.stringify({ level: "info", message: notice }));
const app = createApp({ config: parseConfig({ AI_ENGINE_URL: site.url }), notice });
const port = Number(Deno.env.get("PORT") || 8000);
Deno.serve({ port }, app.fetch);
