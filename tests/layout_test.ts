/**
 * The layout's one rule: imports point one way, down `gateway/` → the library (`lib/*.ts`)
 * → `ai_engine/` → `http/` → `streams/` → `util/`. A file never imports from a layer above its own,
 * so a reader can follow a byte from the route to the socket without turning back.
 * `lib/version.ts` is a leaf that imports nothing: every layer may read it. And no file
 * imports a file that imports it, however far round: a circle has no top to start from.
 * And the stops of one `POST /api/chat` read top-down: none imports one passed before it.
 */
import assert from "node:assert/strict";

const LIB = new URL("../lib/", import.meta.url);
const LAYERS = ["util", "streams", "http", "ai_engine", "library", "gateway"] as const;
/** Files of the library's folder that import nothing, so any layer may import them. */
const LEAVES = ["version.ts"];

function layerOf(path: string): number {
  if (LEAVES.includes(path)) return 0;
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

Deno.test("layout: lib/version.ts, which every layer reads, imports nothing", async () => {
  for (const leaf of LEAVES) {
    const text = await Deno.readTextFile(new URL(leaf, LIB));
    assert.doesNotMatch(text, /\bfrom\s+"/, `lib/${leaf} imports`);
  }
});

/** The files under `root` that each `.ts` file under it imports (relative imports only). */
async function importGraph(root: URL): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for await (const file of sources(root)) {
    // Doc examples import their own file: only the code's imports count.
    const text = (await Deno.readTextFile(new URL(file, root))).replace(/\/\*[\s\S]*?\*\//g, "");
    const targets: string[] = [];
    for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const path = new URL(specifier!, new URL(file, root)).pathname;
      if (path.startsWith(root.pathname)) targets.push(path.slice(root.pathname.length));
    }
    graph.set(file, targets);
  }
  return graph;
}

/** Every circle of imports in `graph`, each once, as the files on it in order. */
function circles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === "open") {
        const circle = path.slice(path.indexOf(target));
        // One name per circle, whichever file it was entered by.
        const key = [...circle].sort().join(" ");
        if (!found.has(key)) found.set(key, [...circle, target]);
      } else if (!state.has(target)) visit(target);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return [...found.values()];
}

Deno.test("layout: the circle finder finds a circle, a long one, and none where there is none", () => {
  const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));
  assert.deepEqual(circles(graph({ "a.ts": ["b.ts"], "b.ts": ["a.ts"] })), [
    ["a.ts", "b.ts", "a.ts"],
  ]);
  assert.deepEqual(
    circles(graph({ "a.ts": ["b.ts"], "b.ts": ["c.ts"], "c.ts": ["a.ts"], "d.ts": ["a.ts"] })),
    [["a.ts", "b.ts", "c.ts", "a.ts"]],
  );
  assert.deepEqual(circles(graph({ "a.ts": ["b.ts", "c.ts"], "b.ts": ["c.ts"], "c.ts": [] })), []);
});

Deno.test("layout: no file in lib/ imports a file that imports it, however far round", async () => {
  const found = circles(await importGraph(LIB)).map((circle) => circle.join(" → "));
  assert.deepEqual(found, []);
});

Deno.test("layout: no file in bench/ imports a file that imports it", async () => {
  const bench = new URL("../bench/", import.meta.url);
  const found = circles(await importGraph(bench)).map((circle) => circle.join(" → "));
  assert.deepEqual(found, []);
});

/**
 * The stops of one `POST /api/chat`, in the order a request reaches them: the
 * middleware in `app.ts`'s order, the route, the library, the AI Engine client, the
 * transport, then the answer's way back out. Shared leaves (errors, `util/`, the site's
 * defaults) are not stops: any stop may use them.
 */
const API_CHAT_PATH = [
  "main.ts",
  "lib/gateway/app.ts",
  "lib/gateway/middleware/edge.ts",
  "lib/gateway/request_log.ts",
  "lib/gateway/middleware/allowed_hosts.ts",
  "lib/gateway/middleware/cors.ts",
  "lib/gateway/middleware/isolate_state.ts",
  "lib/gateway/state.ts",
  "lib/gateway/config.ts",
  "lib/gateway/middleware/api_key.ts",
  "lib/gateway/middleware/limits.ts",
  "lib/gateway/middleware/turnstile.ts",
  "lib/gateway/routes/api_chat.ts",
  "lib/gateway/request/json_body.ts",
  "lib/gateway/request/chat_request.ts",
  "lib/gateway/request/bot_for_model.ts",
  "lib/gateway/ask_ai_engine.ts",
  "lib/chat.ts",
  "lib/session_for_site.ts",
  "lib/chat_answer.ts",
  "lib/ai_engine/open_answer.ts",
  "lib/ai_engine/chat_id.ts",
  "lib/ai_engine/file_upload.ts",
  "lib/ai_engine/session/ai_engine_session.ts",
  "lib/ai_engine/session/page_nonce.ts",
  "lib/ai_engine/submit.ts",
  "lib/ai_engine/site/site_client.ts",
  "lib/http/upstream_client.ts",
  "lib/ai_engine/answer/submit_response.ts",
  "lib/ai_engine/answer/json_answer.ts",
  "lib/ai_engine/answer/answer_reader.ts",
  "lib/ai_engine/answer/answer_decoder.ts",
  "lib/streams/sse_data_parser.ts",
  "lib/ai_engine/answer/parse_event.ts",
  "lib/ai_engine/answer/answer_rules.ts",
  "lib/gateway/answer_body.ts",
  "lib/gateway/encoders/plain_text.ts",
];

/** The files under the repository's root that `file` imports for their code, not types only. */
async function valueImports(file: string): Promise<string[]> {
  const root = new URL("../", import.meta.url);
  const text = (await Deno.readTextFile(new URL(file, root))).replace(/\/\*[\s\S]*?\*\//g, "");
  const targets: string[] = [];
  for (
    const [, types, specifier] of text.matchAll(/^import\s+(type\s)?[^;]*?from\s+"(\.[^"]+)"/gm)
  ) {
    if (types) continue;
    targets.push(new URL(specifier!, new URL(file, root)).pathname.slice(root.pathname.length));
  }
  return targets;
}

Deno.test("layout: one POST /api/chat reads top-down, no stop calling back into one passed", async () => {
  const back: string[] = [];
  const unreached: string[] = [];
  for (const [i, file] of API_CHAT_PATH.entries()) {
    const passed = API_CHAT_PATH.slice(0, i);
    for (const target of await valueImports(file)) {
      if (passed.includes(target)) back.push(`${file} imports ${target}`);
    }
    if (i === 0) continue;
    const callers = await Promise.all(passed.map(valueImports));
    if (!callers.some((targets) => targets.includes(file))) unreached.push(file);
  }
  assert.deepEqual(back, []);
  // Every stop is really on the way: a stop before it imports it.
  assert.deepEqual(unreached, []);
});

Deno.test("layout: at least 90% of lib/ files have a test at tests/<same path>_test.ts", async () => {
  const tests = new URL("./", import.meta.url);
  const untested: string[] = [];
  let files = 0;
  for await (const file of sources(LIB)) {
    files++;
    const mirrored = new URL(file.replace(/\.ts$/, "_test.ts"), tests);
    if (!await Deno.stat(mirrored).then(() => true, () => false)) untested.push(file);
  }
  const share = (files - untested.length) / files;
  console.log(
    `${files - untested.length} of ${files} lib/ files have a mirrored test ` +
      `(${(share * 100).toFixed(1)}%); without one: ${untested.sort().join(", ")}`,
  );
  assert.ok(share >= 0.9, `only ${(share * 100).toFixed(1)}% have a mirrored test`);
});
