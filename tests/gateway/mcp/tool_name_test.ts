import assert from "node:assert/strict";
import { toolNames } from "../../../lib/gateway/mcp/tool_name.ts";

Deno.test("a bot's tool is ask_<name>, in the MCP tool-name characters", () => {
  assert.deepEqual(toolNames(["default", "team/help", "v1.2", "a-b", "q&a:2"]), [
    "ask_default",
    "ask_team_help",
    "ask_v1.2",
    "ask_a-b",
    "ask_q_a_2",
  ]);
});

Deno.test("names that come out alike are told apart by a number, in order", () => {
  assert.deepEqual(toolNames(["a/b", "a_b", "a:b"]), ["ask_a_b", "ask_a_b_2", "ask_a_b_3"]);
});

Deno.test("a long name is cut to 128 characters, and stays unique when cut", () => {
  const long = "x".repeat(100);
  const names = toolNames([`${long}/1`, `${long}/2`, `${long}_1`.padEnd(100, "y")]);
  for (const name of names) assert.ok(name.length <= 128 && /^[A-Za-z0-9_.-]+$/.test(name));
  assert.equal(new Set(names).size, names.length);
  const cut = toolNames(["y".repeat(200), "y".repeat(201)]);
  assert.deepEqual(cut.map((name) => name.length), [128, 128]);
  assert.equal(cut[1], `ask_${"y".repeat(122)}_2`);
});
