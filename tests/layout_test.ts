/**
 * The layout's one rule: imports point one way, down `gateway/` → the library (`lib/*.ts`)
 * → `ai_engine/` → `http/` → `streams/` → `util/`. A file never imports from a layer above its own,
 * so a reader can follow a byte from the route to the socket without turning back.
 */
import assert from "node:assert/strict";

const LIB = new URL("../lib/", import.meta.url);
const LAYERS = ["util", "streams", "http", "ai_engine", "library", "gateway"] as const;

function layerOf(path: string): number {
  const top = path.includes("/") ? path.slice(0, path.indexOf("/")) : "library";
  const layer = LAYERS.indexOf(top as typeof LAYERS[number]);
  assert.notEqual(layer, -1, `lib/${path} is in no known layer`);
  return layer;
}

async function* sources(dir: URL, prefix = ""): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      yield* sources(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
    } else if (entry.name.endsWith(".ts")) yield `${prefix}${entry.name}`;
  }
}

/** The path under lib/ that `specifier` in `from` names, or null outside lib/. */
function resolve(from: string, specifier: string): string | null {
  const path = new URL(specifier, new URL(from, LIB)).pathname;
  return path.startsWith(LIB.pathname) ? path.slice(LIB.pathname.length) : null;
}

Deno.test("layout: every import in lib/ points down the layers, never up", async () => {
  const upward: string[] = [];
  for await (const file of sources(LIB)) {
    const text = await Deno.readTextFile(new URL(file, LIB));
    for (const [, specifier] of text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)) {
      const target = resolve(file, specifier!);
      if (target === null) upward.push(`${file} imports ${specifier} (outside lib/)`);
      else if (layerOf(target) > layerOf(file)) upward.push(`${file} imports ${target}`);
    }
  }
  assert.deepEqual(upward, []);
});

Deno.test("layout: only the variables reader touches Deno or Workers globals", async () => {
  const readers: string[] = [];
  for await (const file of sources(LIB)) {
    const text = await Deno.readTextFile(new URL(file, LIB));
    if (/\bDeno\.(env|permissions)|process\.env/.test(text)) readers.push(file);
  }
  assert.deepEqual(readers, ["variables.ts"]);
});
