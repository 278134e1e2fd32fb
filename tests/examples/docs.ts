/**
 * README.md and docs/ as the tests read them: the Markdown files, the examples they show
 * and the links between them. An example is shown either whole, in a fenced block, or by
 * a link to its file; a copy that differs from the file is never shown.
 */
import assert from "node:assert/strict";

/** The repository's root. */
export const ROOT = new URL("../../", import.meta.url);

/** README.md and every Markdown file of docs/, by path from the root. */
export async function markdownFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  files.set("README.md", await read("README.md"));
  const names = [];
  for await (const entry of Deno.readDir(new URL("docs/", ROOT))) {
    if (entry.isFile && entry.name.endsWith(".md")) names.push(entry.name);
  }
  for (const name of names.sort()) files.set(`docs/${name}`, await read(`docs/${name}`));
  return files;
}

/** A file of the repository, by path from the root. */
export function read(path: string): Promise<string> {
  return Deno.readTextFile(new URL(path, ROOT));
}

/**
 * The relative links of a Markdown text, outside fenced blocks and code spans:
 * `[text](target)` (a code span may show Markdown, like an image bot's `![Image](…)`).
 */
export function links(markdown: string): string[] {
  const prose = outsideFences(markdown).replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target));
}

/** Where a relative link of the file at `from` points, as a path from the root. */
export function resolve(from: string, target: string): { path: string; fragment: string } {
  const url = new URL(target, new URL(from, ROOT));
  return {
    path: decodeURIComponent(url.pathname.slice(ROOT.pathname.length)),
    fragment: decodeURIComponent(url.hash.slice(1)),
  };
}

/** The anchors GitHub gives the headings of a Markdown text. */
export function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  for (const line of outsideFences(markdown).split("\n")) {
    const heading = line.match(/^#{1,6} (.*)$/)?.[1];
    if (!heading) continue;
    found.add(heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/ /g, "-"));
  }
  return found;
}

/** The fenced code blocks of a Markdown text: their language and their text. */
export function fencedBlocks(markdown: string): { fence: string; code: string }[] {
  return [...markdown.matchAll(/^```(\S*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    fence: match[1]!,
    code: match[2]!,
  }));
}

/**
 * Asserts that the Markdown file `doc` shows the example `file` as it is: whole in a
 * ```fence block, or by a link to it; and that no block of `doc` holds a changed copy of
 * it (a block that has the example's first line of its own is taken for a copy).
 */
export async function assertShown(doc: string, file: string, fence: string): Promise<void> {
  const markdown = await read(doc);
  const source = await read(file);
  const whole = markdown.includes("```" + fence + "\n" + source + "```\n");
  const linked = links(markdown).some((target) => resolve(doc, target).path === file);
  assert.ok(
    whole || linked,
    `${doc} does not show ${file}: paste the file into a \`\`\`${fence} block, or link it`,
  );
  const own = source.split("\n").find((line) =>
    line.trim() !== "" && !line.startsWith("#!") && line !== "// @ts-check"
  )!;
  for (const block of fencedBlocks(markdown)) {
    assert.ok(
      !block.code.includes(own) || block.code === source,
      `${doc} holds a copy of ${file} that differs from the file; paste the file as it is`,
    );
  }
}

function outsideFences(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
}
