/** The longest tool name the MCP specification allows. */
const MAX_TOOL_NAME = 128;

/**
 * The MCP tool names of the bots, in their order: `ask_<name>`, each character outside
 * the specification's tool-name set (`A-Z a-z 0-9 _ - .`) as `_`, at most 128 characters.
 * Two names that come out alike (`team/a` and `team_a`) are told apart by a number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toolNames } from "./tool_name.ts";
 * assert.deepEqual(toolNames(["default", "team/support", "team_support"]), [
 *   "ask_default",
 *   "ask_team_support",
 *   "ask_team_support_2",
 * ]);
 * ```
 */
export function toolNames(bots: readonly string[]): string[] {
  const taken = new Set<string>();
  return bots.map((bot) => {
    const base = `ask_${bot.replace(/[^A-Za-z0-9_.-]/g, "_")}`.slice(0, MAX_TOOL_NAME);
    let name = base;
    for (let n = 2; taken.has(name); n++) {
      name = `${base.slice(0, MAX_TOOL_NAME - String(n).length - 1)}_${n}`;
    }
    taken.add(name);
    return name;
  });
}
