import assert from "node:assert/strict";

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/** The modules main.ts loads at start: its import graph without the dynamic imports. */
async function loadedAtStart(): Promise<string[]> {
  const root = new URL("../../../main.ts", import.meta.url).href;
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root],
    stdout: "piped",
    stderr: "null",
  }).output();
  const { modules } = JSON.parse(new TextDecoder().decode(stdout)) as { modules: InfoModule[] };
  const bySpecifier = new Map(modules.map((module) => [module.specifier, module]));
  const seen = new Set<string>();
  const visit = (specifier: string) => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (dependency.code && !dependency.isDynamic) visit(dependency.code.specifier);
    }
  };
  visit(root);
  return [...seen];
}

Deno.test("the gateway starts without the MCP SDK, which comes with the first /mcp request", async () => {
  const loaded = await loadedAtStart();
  assert.ok(loaded.some((specifier) => specifier.endsWith("/lib/gateway/routes/mcp.ts")));
  assert.deepEqual(
    loaded.filter((specifier) =>
      specifier.includes("modelcontextprotocol") || specifier.includes("/lib/gateway/mcp/")
    ),
    [],
  );
});
