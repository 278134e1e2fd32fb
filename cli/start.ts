/**
 * `deno task start`: serves the gateway with the configuration from the environment on
 * `PORT` (default 8000). The configuration is checked before the port opens, so a bad
 * value stops the start with a message naming its variable.
 */
import { parseConfig, readConfigVariables } from "../lib/gateway/config.ts";

try {
  parseConfig(readConfigVariables());
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  Deno.exit(1);
}
const { default: app } = await import("../main.ts");
const port = Number(Deno.env.get("PORT") || 8000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid PORT: "${Deno.env.get("PORT")}" is not a port number`);
  Deno.exit(1);
}
Deno.serve({ port }, app.fetch);
