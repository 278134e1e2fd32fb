/**
 * The gateway keeps its connections to the site (the runtime's `fetch` pools them), and a
 * kept connection the site has closed (Apache's `KeepAliveTimeout`, a server shedding idle
 * connections) costs nothing: the next answer neither fails nor reaches the site twice.
 */
import assert from "node:assert/strict";
import { type Gateway, startGateway } from "./gateway.ts";
import { ANSWER, post } from "./http_client.ts";

/** Asks `count` answers, one after the other, each with a message of its own. */
async function askInTurn(
  base: string,
  label: string,
  count: number,
  gapMs: () => number,
): Promise<string[]> {
  const messages: string[] = [];
  for (let i = 0; i < count; i++) {
    const message = `${label} ${i}`;
    messages.push(message);
    const response = await post(base, "/api/chat", { message });
    assert.equal(response.status, 200, `answer ${i}: ${await response.clone().text()}`);
    assert.equal(await response.text(), ANSWER, `answer ${i}`);
    // The traffic's own rhythm, not a wait for anything.
    const gap = gapMs();
    if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
  }
  return messages;
}

/** How many submits of each message with this label the site saw, in the order first seen. */
function submitsPerMessage(gw: Gateway, label: string): Map<string, number> {
  const seen = new Map<string, number>();
  for (const submit of gw.site.submits) {
    const message = (submit.body as { newMessage?: string }).newMessage ?? "";
    if (message.startsWith(`${label} `)) seen.set(message, (seen.get(message) ?? 0) + 1);
  }
  return seen;
}

Deno.test("kept connections to the site", async (t) => {
  await using gw = await startGateway();

  await t.step("answers in steady traffic reuse the site's connections", async () => {
    await askInTurn(gw.base, "Steady", 20, () => 0);
    // start_session and 20 submits, 21 requests: at most 0.1 new connections per answer
    // (one comes when an answer is asked before the last one's final chunk was read).
    assert.ok(gw.site.connections <= 3, `${gw.site.connections} connections for 21 requests`);
  });

  await t.step(
    "a site that closes idle connections at random moments: every answer comes, each submit once",
    () =>
      gw.site.playing({ randomIdleCloseMs: 25, pieceDelayMs: 0 }, async () => {
        const messages = await askInTurn(gw.base, "Shed", 80, () => Math.random() * 30);
        const seen = submitsPerMessage(gw, "Shed");
        assert.deepEqual([...seen.keys()], messages);
        assert.deepEqual(
          [...seen.values()].filter((n) => n !== 1),
          [],
          "a submit reached the site twice",
        );
        // The site did close kept connections under the gateway, idle and as requests came.
        assert.ok(gw.site.idleCloses >= 10, `only ${gw.site.idleCloses} idle closes`);
        assert.ok(gw.site.unansweredCloses >= 3, `only ${gw.site.unansweredCloses} unanswered`);
      }),
  );
});
