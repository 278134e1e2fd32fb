// The Workers bundle's stand-in for `ajv` and `ajv-formats` (wrangler.toml, [alias]). The MCP
// SDK's Server imports Ajv for one thing, checking a client's answers to elicitation, which
// the gateway never asks for: its server passes a validator of its own, so Ajv is never
// built (lib/gateway/mcp/bot_server.ts). Left out, the bundle is 43 KB smaller gzipped; and
// Ajv compiles code from strings, which Workers forbid anyway.
export default class NoAjv {
  constructor() {
    throw new Error("Ajv is left out of the Workers bundle (scripts/workers/no_ajv.js)");
  }
}
