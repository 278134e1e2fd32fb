// The original async generator's example, as mwai-edge's library: the answer's text is
// printed piece by piece as the site streams it. The site is AI_ENGINE_URL, by default
// https://opchatgpts.net. Run: deno run --allow-net --allow-env examples/hello.ts
import { chat } from "../lib/mod.ts";

for await (const text of chat({ messages: [{ role: "user", content: "Hello" }] })) {
  console.log(text);
}
