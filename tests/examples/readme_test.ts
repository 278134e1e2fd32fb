import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { anchors, assertShown, links, markdownFiles, read, resolve, ROOT } from "./docs.ts";
import { REFUSALS } from "./refusals.ts";

// Each example is run by a test (tests/examples/, tests/browser/); the docs show it whole
// or link it, so what a reader copies is what was tested.
const EXAMPLES = [
  { file: "examples/static_site_fetch.js", fence: "js", doc: "docs/static-sites.md" },
  { file: "examples/sign_webhook.sh", fence: "sh", doc: "docs/webhooks.md" },
  { file: "examples/sign_webhook.js", fence: "js", doc: "docs/webhooks.md" },
  { file: "examples/github_actions_webhook.yml", fence: "yaml", doc: "docs/webhooks.md" },
];

for (const { file, fence, doc } of EXAMPLES) {
  Deno.test(`${doc} shows ${file} exactly as tested`, () => assertShown(doc, file, fence));
}

Deno.test("docs/webhooks.md shows what a replayed or tampered webhook call gets back", async () => {
  const doc = await read("docs/webhooks.md");
  for (const [name, body] of Object.entries(REFUSALS)) {
    assert.ok(doc.includes(body), `docs/webhooks.md does not show the ${name} answer: ${body}`);
  }
});

Deno.test("README links every file of docs/, each on a line of its own", async () => {
  const files = await markdownFiles();
  const readme = files.get("README.md")!;
  for (const doc of [...files.keys()].filter((path) => path.startsWith("docs/"))) {
    assert.ok(
      readme.split("\n").some((line) => line.startsWith(`- [${doc}](${doc}): `)),
      `README.md has no line "- [${doc}](${doc}): what it holds"`,
    );
  }
});

Deno.test("every relative link of README and docs/ reaches a file, and its heading", async () => {
  const files = await markdownFiles();
  for (const [from, markdown] of files) {
    for (const target of links(markdown)) {
      const { path, fragment } = resolve(from, target);
      const stat = await Deno.stat(new URL(path, ROOT)).catch(() => null);
      assert.ok(stat, `${from} links ${target}, which does not exist`);
      if (!fragment) continue;
      const linked = files.get(path);
      assert.ok(linked, `${from} links ${target}, a heading of a file that is not Markdown`);
      assert.ok(anchors(linked).has(fragment), `${from} links ${target}: no such heading`);
    }
  }
});

Deno.test("every `deno task` that README and docs/ name is a task of deno.json", async () => {
  const tasks = Object.keys(denoJson.tasks);
  for (const [path, markdown] of await markdownFiles()) {
    for (const [, task] of markdown.matchAll(/\bdeno(?:@[\d.]+)? task ([\w:-]+)/g)) {
      assert.ok(tasks.includes(task!), `${path} names \`deno task ${task}\`, not in deno.json`);
    }
  }
});
