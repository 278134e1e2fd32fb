/**
 * Run in a fresh process: imports main.ts, asks it for /healthz, then for the MCP server's
 * tools twice, and prints the times (ms). The MCP SDK loads with the first `/mcp` request
 * (see lib/gateway/routes/mcp.ts): this shows what that first request pays, and that the
 * gateway's own cold start does not (docs/performance.md, "The MCP server's cost").
 *
 * @module
 */
const start = performance.now();
const { default: app } = await import("../../main.ts");
const imported = performance.now();
await (await app.fetch(new Request("http://127.0.0.1/healthz"))).text();
const healthz = performance.now();
const listTools = async () => {
  const response = await app.fetch(
    new Request("http://127.0.0.1/mcp", {
      method: "POST",
      headers: {
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    }),
  );
  if (!(await response.text()).includes("ask_")) throw new Error("tools/list listed no tool");
};
await listTools();
const firstMcp = performance.now();
await listTools();
const nextMcp = performance.now();
const ms = (value: number) => Math.round(value * 10) / 10;
console.log(JSON.stringify({
  importMs: ms(imported - start),
  healthzMs: ms(healthz - start),
  firstMcpMs: ms(firstMcp - healthz),
  nextMcpMs: ms(nextMcp - firstMcp),
}));
