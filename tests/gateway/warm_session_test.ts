import assert from "node:assert/strict";
import { AiEngineSession } from "../../lib/ai_engine/session/ai_engine_session.ts";
import { WARM_LINE, warmSession } from "../../lib/gateway/warm_session.ts";
import { AiEngineEmulator } from "../emulator/ai_engine_emulator.ts";

function lines() {
  const written: string[] = [];
  return {
    write: (line: string) => written.push(line),
    all: () => written.map((l) => JSON.parse(l)),
  };
}

Deno.test("warmSession fetches the nonce once, and the first answer finds it at hand", async () => {
  await using site = await AiEngineEmulator.start();
  const session = new AiEngineSession({ restUrl: site.restUrl });
  const log = lines();
  await warmSession(session, log.write);
  assert.equal(site.sessionsStarted, 1);
  assert.equal(log.all().length, 1);
  assert.equal(log.all()[0].level, "info");
  assert.match(log.all()[0].message, new RegExp(`^${WARM_LINE}: ready in \\d+ ms$`));
  assert.ok(await session.nonce());
  assert.equal(site.sessionsStarted, 1, "the nonce was kept");
});

Deno.test("warmSession on a site without start_session says it needs no nonce", async () => {
  await using site = await AiEngineEmulator.start({ version: "1.9" });
  const log = lines();
  await warmSession(new AiEngineSession({ restUrl: site.restUrl }), log.write);
  assert.match(log.all()[0].message, /: the site needs none \(\d+ ms\)$/);
});

Deno.test("warmSession on a failing site writes a warning, and the next ask tries again", async () => {
  await using site = await AiEngineEmulator.start({ startSessionFault: "500" });
  const session = new AiEngineSession({ restUrl: site.restUrl });
  const log = lines();
  await warmSession(session, log.write);
  const [line] = log.all();
  assert.equal(line.level, "warn");
  assert.match(line.message, /start_session answered 500.*; the first answer asks again$/);
  assert.ok(!line.message.includes(site.url), "the site's URL is not quoted");
  site.options.startSessionFault = null;
  assert.ok(await session.nonce());
  const asked = site.requests.filter((r) => r.route?.endsWith("start_session"));
  assert.equal(asked.length, 2, "asked at start-up, then again");
});
