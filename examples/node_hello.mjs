// The library from Node 20+, through tsx (which loads the TypeScript sources as they are):
//   AI_ENGINE_URL=https://your-site.example npx -y tsx@4 examples/node_hello.mjs
import { chat } from "../lib/mod.ts";

for await (const text of chat({ messages: [{ role: "user", content: "Hello" }] })) {
  console.log(text);
}
