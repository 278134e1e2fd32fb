/**
 * Regenerates `lib/gateway/pages/markdown_vendor.ts`, the Markdown renderer that the chat
 * page and `/embed.js` carry: micromark (CommonMark) with its GFM extensions for autolink
 * literals, strikethrough, tables and task list items, bundled and minified for the browser
 * by esbuild, as a string (the browser scripts are served from strings, so one `main.ts`
 * serves them on Deno and on Workers without reading files).
 *
 *   deno run -A scripts/vendor_markdown.ts           writes the file
 *   deno run -A scripts/vendor_markdown.ts --check   fails if the file is not what it would write
 *
 * Every package, transitive ones included, is pinned with its integrity in
 * `scripts/markdown_vendor/package-lock.json`; `npm ci` installs exactly those in a temporary
 * folder, so the project's own `deno.lock` and `node_modules` are left alone and the pins
 * decide every byte of the output.
 *
 * Why micromark: it is CommonMark and GFM to the letter (both specs' examples are its tests),
 * kept by the unified collective, escapes raw HTML and refuses unsafe link protocols by
 * default, and is smaller than markdown-it (docs/static-sites.md, "Answers are Markdown").
 * GFM's footnotes are left out: their in-page links and ids would clash between answers.
 */

/** The pins: a package.json and its lock, installed with `npm ci`. */
export const PINS_DIR = "scripts/markdown_vendor/";

/** Where the vendored module lives, from the repository's root. */
export const VENDOR_PATH = "lib/gateway/pages/markdown_vendor.ts";

/** The packages the entry imports: the renderer the module says it carries. */
export const PACKAGES = [
  "micromark",
  "micromark-extension-gfm-autolink-literal",
  "micromark-extension-gfm-strikethrough",
  "micromark-extension-gfm-table",
  "micromark-extension-gfm-task-list-item",
];

// What the chat client uses, and nothing else, so esbuild leaves out the rest.
const ENTRY = `export { compile, parse, postprocess, preprocess } from "micromark";
export { gfmAutolinkLiteral, gfmAutolinkLiteralHtml } from "micromark-extension-gfm-autolink-literal";
export { gfmStrikethrough, gfmStrikethroughHtml } from "micromark-extension-gfm-strikethrough";
export { gfmTable, gfmTableHtml } from "micromark-extension-gfm-table";
export { gfmTaskListItem, gfmTaskListItemHtml } from "micromark-extension-gfm-task-list-item";
`;

const ROOT = new URL("../", import.meta.url);

/** Builds the text of {@linkcode VENDOR_PATH}, formatted as `deno fmt` leaves it. */
export async function buildMarkdownVendor(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "mwai-edge-vendor-" });
  try {
    for (const file of ["package.json", "package-lock.json"]) {
      await Deno.copyFile(new URL(PINS_DIR + file, ROOT), `${dir}/${file}`);
    }
    await run(
      "npm",
      ["ci", "--no-audit", "--no-fund", "--loglevel=error", "--ignore-scripts"],
      dir,
    );
    await Deno.writeTextFile(`${dir}/entry.js`, ENTRY);
    await run(`${dir}/node_modules/.bin/esbuild`, [
      "entry.js",
      "--bundle",
      "--minify",
      "--format=iife",
      "--global-name=micromark",
      // The "browser" condition picks decode-named-character-reference's DOM decoder over
      // its 12 KB table of entities.
      "--platform=browser",
      "--target=es2020",
      "--legal-comments=none",
      "--charset=ascii",
      "--metafile=meta.json",
      "--outfile=out.js",
    ], dir);
    const code = await Deno.readTextFile(`${dir}/out.js`);
    const bundled = await bundledPackages(dir);
    return await format(vendorModule(code.trim(), bundled));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

interface Bundled {
  name: string;
  version: string;
  copyright: string;
}

// Every package with a file in the bundle, with its version and copyright line: the MIT
// license asks for the notice in copies.
async function bundledPackages(dir: string): Promise<Bundled[]> {
  const meta = JSON.parse(await Deno.readTextFile(`${dir}/meta.json`));
  const names = new Set<string>();
  for (const input of Object.keys(meta.inputs)) {
    const name = input.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1];
    if (name) names.add(name);
  }
  const bundled: Bundled[] = [];
  for (const name of [...names].sort()) {
    const pkg = JSON.parse(await Deno.readTextFile(`${dir}/node_modules/${name}/package.json`));
    if (pkg.license !== "MIT") throw new Error(`${name} is not MIT licensed: ${pkg.license}`);
    const license = await Deno.readTextFile(`${dir}/node_modules/${name}/license`);
    const copyright = license.match(/Copyright \(c\) .*/)?.[0] ?? "";
    bundled.push({ name, version: pkg.version, copyright });
  }
  return bundled;
}

function vendorModule(code: string, bundled: Bundled[]): string {
  // The string is spliced into an inline <script> of the page at `/`.
  if (/<\/script|<!--/i.test(code)) throw new Error("Bundle holds </script or <!--: escape it");
  const renderer = PACKAGES.map((name) => {
    const pkg = bundled.find((b) => b.name === name);
    if (!pkg) throw new Error(`${name} is not in the bundle`);
    return `${name}@${pkg.version}`;
  });
  const copyrights = [...new Set(bundled.map((b) => b.copyright))];
  const notice = `/*! ${renderer.join(" ")} | MIT License | ${copyrights.join("; ")} */`;
  return `// Generated by scripts/vendor_markdown.ts: do not edit; run
// \`deno run -A scripts/vendor_markdown.ts\` instead.
//
// micromark (https://github.com/micromark/micromark) and its GFM extensions, bundled by
// esbuild from these packages, each under the MIT License:
//
${bundled.map((b) => `// - ${b.name}@${b.version}: ${b.copyright}`).join("\n")}
//
${MIT.trim().split("\n").map((line) => `// ${line}`.trimEnd()).join("\n")}

/** The packages this module carries, as \`name@version\`. */
export const MARKDOWN_VENDOR_PACKAGES: readonly string[] = ${JSON.stringify(renderer)};

/**
 * Browser JavaScript that declares \`var micromark\`: its \`parse\`, \`postprocess\`,
 * \`preprocess\` and \`compile\`, and the GFM extensions (syntax and HTML) for autolink
 * literals, strikethrough, tables and task list items.
 */
export const MARKDOWN_VENDOR: string = ${JSON.stringify(`${notice}\n${code}\n`)};
`;
}

const MIT = `
Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

async function format(source: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=ts", "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(source));
  await writer.close();
  const output = await child.output();
  if (!output.success) throw new Error("deno fmt failed on the vendored module");
  return new TextDecoder().decode(output.stdout);
}

async function run(command: string, args: string[], cwd: string): Promise<string> {
  const output = await new Deno.Command(command, { args, cwd, stderr: "inherit" }).output();
  if (!output.success) throw new Error(`${command} ${args[0]} failed: exit ${output.code}`);
  return new TextDecoder().decode(output.stdout);
}

if (import.meta.main) {
  const path = new URL(VENDOR_PATH, ROOT);
  const built = await buildMarkdownVendor();
  if (Deno.args.includes("--check")) {
    const committed = await Deno.readTextFile(path).catch(() => "");
    if (committed !== built) {
      console.error(`${VENDOR_PATH} is not what the script builds: run it without --check`);
      Deno.exit(1);
    }
    console.log(`${VENDOR_PATH} is as built from ${PINS_DIR}`);
  } else {
    await Deno.writeTextFile(path, built);
    console.log(`Wrote ${VENDOR_PATH}`);
  }
}
