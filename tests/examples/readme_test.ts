import assert from "node:assert/strict";
import { REFUSALS } from "./refusals.ts";

const ROOT = new URL("../../", import.meta.url);
const README = await Deno.readTextFile(new URL("README.md", ROOT));

// Each example is run by a test (tests/examples/, tests/browser/); the README shows it
// whole, so what a reader copies is what was tested.
const EXAMPLES = [
  { file: "examples/static_site_fetch.js", fence: "js" },
  { file: "examples/sign_webhook.sh", fence: "sh" },
  { file: "examples/sign_webhook.js", fence: "js" },
  { file: "examples/github_actions_webhook.yml", fence: "yaml" },
];

for (const { file, fence } of EXAMPLES) {
  Deno.test(`the README shows ${file} exactly as tested`, async () => {
    const source = await Deno.readTextFile(new URL(file, ROOT));
    assert.ok(
      README.includes("```" + fence + "\n" + source + "```\n"),
      `README.md does not show ${file} as it is; paste the file into a \`\`\`${fence} block`,
    );
  });
}

Deno.test("the README shows what a replayed or tampered webhook call gets back", () => {
  for (const [name, body] of Object.entries(REFUSALS)) {
    assert.ok(README.includes(body), `README.md does not show the ${name} answer: ${body}`);
  }
});
