import { assertShown } from "../examples/docs.ts";

const SNIPPETS = [
  "openai.ts",
  "langchain.ts",
  "ai_sdk_core.ts",
  "use_chat.ts",
  "ai_sdk_openai.ts",
  "openai_responses.ts",
  "agents.ts",
  "mcp.ts",
];

for (const snippet of SNIPPETS) {
  Deno.test(`docs/clients.md shows tests/clients/snippets/${snippet} as it is run`, async () => {
    await assertShown("docs/clients.md", `tests/clients/snippets/${snippet}`, "ts");
  });
}
