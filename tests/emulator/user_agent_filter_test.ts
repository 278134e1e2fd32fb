import assert from "node:assert/strict";
import { userAgentFilterAnswer } from "./user_agent_filter.ts";

Deno.test("a firewall that wants a user agent blocks any other with its 403, before WordPress", () => {
  const allowed = /^mwai-edge\//;
  for (const agent of [null, "curl/8.5", "Mozilla/5.0 mwai-edge/0.2.0"]) {
    const headers = new Headers(agent === null ? {} : { "user-agent": agent });
    const [step] = userAgentFilterAnswer(headers, allowed)!;
    assert.match((step as { data: string }).data, /^HTTP\/1\.1 403 /);
  }
  assert.equal(
    userAgentFilterAnswer(new Headers({ "user-agent": "mwai-edge/0.2.0" }), allowed),
    null,
  );
  assert.equal(userAgentFilterAnswer(new Headers(), null), null);
});
