// mwai-edge as a library: a conversation, the whole answer with its usage, a shared
// session, and failures told apart by type.
// Run: deno run --allow-net --allow-env examples/library.ts https://your-site.example
import { AiEngineError, AiEngineSession, chat } from "../lib/mod.ts";

const site = Deno.args[0] ?? "https://opchatgpts.net";
const session = new AiEngineSession({ restUrl: `${site}/wp-json` }); // one nonce for all calls

const answer = chat({
  site,
  session,
  bot: "default",
  messages: [
    { role: "user", content: "What is the answer?" },
    { role: "assistant", content: "To what?" },
    { role: "user", content: "To everything." },
  ],
  signal: AbortSignal.timeout(60_000),
});
for await (const text of answer) console.log(text);
const { reply, usage } = await answer.done;
console.log(`${reply.length} characters, ${usage?.total_tokens ?? "?"} tokens`);

try {
  await chat({ site, session, messages: [{ role: "user", content: "" }] }).done;
} catch (error) {
  if (error instanceof AiEngineError && error.type === "rejected") {
    console.log("Rejected:", error.message);
  } else throw error;
}
