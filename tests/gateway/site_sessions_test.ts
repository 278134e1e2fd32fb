import assert from "node:assert/strict";
import { SiteSessions } from "../../lib/gateway/site_sessions.ts";
import type { ClientIdentity } from "../../lib/gateway/limits/client_identity.ts";

const SECRET = "sixteen chars or more";
const visitor: ClientIdentity = { keyed: false, id: "ip:198.51.100.4", address: "198.51.100.4" };
const keyed: ClientIdentity = { keyed: true, id: "key:00112233", address: "198.51.100.4" };

Deno.test("a secret names a client alike in every instance; without one, each instance names it its own way", async () => {
  const id = await new SiteSessions(SECRET).idFor(visitor);
  assert.equal(await new SiteSessions(SECRET).idFor(visitor), id);
  assert.notEqual(await new SiteSessions(`${SECRET}!`).idFor(visitor), id);
  const random = new SiteSessions(null);
  assert.equal(random.stable, false);
  assert.equal(await random.idFor(visitor), await random.idFor(visitor));
  assert.notEqual(await random.idFor(visitor), await new SiteSessions(null).idFor(visitor));
});

Deno.test("an id is a short hex token, and end users apart get ids apart", async () => {
  const sessions = new SiteSessions(SECRET);
  const ids = await Promise.all([
    sessions.idFor(visitor),
    sessions.idFor(keyed),
    sessions.idFor(keyed, "alice"),
    sessions.idFor(keyed, "bob"),
  ]);
  assert.equal(new Set(ids).size, 4);
  for (const id of ids) assert.match(id, /^edge-[0-9a-f]{24}$/);
});
