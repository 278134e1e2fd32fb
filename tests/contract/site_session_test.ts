/**
 * The end user as the site sees them, over real HTTP in every runtime: each client of the
 * gateway reaches AI Engine as a visitor of its own (`mwai_session_id`, cookie and
 * `session`), derived by a keyed HMAC, so the site's Discussions and statistics count
 * them apart, and never learns an address or a key. Clients are told apart here by
 * `X-Forwarded-For`, which the gateways are told to trust.
 */
import assert from "node:assert/strict";
import { startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";
import type { AiEngineEmulator } from "../emulator/ai_engine_emulator.ts";

const TRUSTED = { TRUST_X_FORWARDED_FOR: "true" };
const SECRET = "a session secret for the tests";
const KEY = "k-site-session-test";
const from = (address: string) => ({ headers: { "x-forwarded-for": address } });

/** Asks once as the client at `address` and gives the site's query of that answer. */
async function askAs(
  base: string,
  site: AiEngineEmulator,
  init: { headers: Record<string, string> },
  body: unknown = { message: "Hello" },
  path = "/api/chat",
) {
  const response = await post(base, path, body, init);
  assert.equal(response.status, 200, await response.clone().text());
  await response.body!.cancel();
  const submit = site.submits.at(-1)!;
  return { query: site.queries.at(-1)!, submit };
}

Deno.test("each client reaches the site as a visitor of its own, the same on every call", async () => {
  await using gw = await startGateway(TRUSTED);
  const first = await askAs(gw.base, gw.site, from("198.51.100.4"));
  const again = await askAs(gw.base, gw.site, from("198.51.100.4"));
  const other = await askAs(gw.base, gw.site, from("203.0.113.9"));
  assert.match(first.query.session, /^edge-[0-9a-f]{24}$/);
  assert.equal(again.query.session, first.query.session);
  assert.notEqual(other.query.session, first.query.session);
  // As the plugin's own widget would: the cookie, which every release reads, and the body's
  // `session`, which overrides it; so the site sets no new cookie of its own.
  assert.equal(first.submit.headers.get("cookie"), `mwai_session_id=${first.query.session}`);
  assert.equal((first.submit.body as { session: string }).session, first.query.session);
  for (const seen of gw.site.requests) {
    const wire = `${[...seen.headers].join("\n")}\n${seen.rawBody}`;
    assert.ok(!wire.includes("198.51.100.4") && !wire.includes("203.0.113.9"), wire);
  }
});

Deno.test("with SESSION_SECRET every isolate names a client alike, and derived chatIds keep clients apart", async () => {
  const vars = { ...TRUSTED, SESSION_SECRET: SECRET };
  await using one = await startGateway(vars);
  await using two = await startGateway(vars);
  const a = await askAs(one.base, one.site, from("198.51.100.4"));
  const b = await askAs(two.base, two.site, from("198.51.100.4"));
  assert.equal(b.query.session, a.query.session);
  // The same first words from another client: another conversation on the site.
  const c = await askAs(one.base, one.site, from("203.0.113.9"));
  assert.equal(b.query.chatId, a.query.chatId);
  assert.notEqual(c.query.chatId, a.query.chatId);
  // A later turn of the first conversation goes to the same Discussions row.
  const next = await askAs(one.base, one.site, from("198.51.100.4"), {
    messages: [
      { role: "user", content: "Hello" },
      { role: "assistant", content: ANSWER },
      { role: "user", content: "And then?" },
    ],
  });
  assert.equal(next.query.chatId, a.query.chatId);
  // Another secret, another name: nothing outside the gateway can work one out.
  await using three = await startGateway({ ...TRUSTED, SESSION_SECRET: `${SECRET}, another` });
  const d = await askAs(three.base, three.site, from("198.51.100.4"));
  assert.notEqual(d.query.session, a.query.session);
});

Deno.test("a keyed client names its end users with OpenAI's user or safety_identifier; an anonymous one cannot", async () => {
  await using gw = await startGateway({ ...TRUSTED, API_KEYS: KEY, PUBLIC_CHAT: "true" });
  const keyed = (address: string) => ({
    headers: { "x-forwarded-for": address, authorization: `Bearer ${KEY}` },
  });
  const completion = (extra: Record<string, unknown>) => ({
    model: "default",
    messages: [{ role: "user", content: "Hello" }],
    ...extra,
  });
  const ask = (init: { headers: Record<string, string> }, body: unknown, path: string) =>
    askAs(gw.base, gw.site, init, body, path);
  const v1 = "/v1/chat/completions";
  const alice = await ask(keyed("198.51.100.4"), completion({ user: "alice" }), v1);
  const bob = await ask(keyed("198.51.100.4"), completion({ safety_identifier: "bob" }), v1);
  const aliceAgain = await ask(keyed("203.0.113.9"), completion({ user: "alice" }), v1);
  const nobody = await ask(keyed("198.51.100.4"), completion({}), v1);
  assert.notEqual(bob.query.session, alice.query.session);
  // A key is the client wherever it calls from.
  assert.equal(aliceAgain.query.session, alice.query.session);
  assert.notEqual(nobody.query.session, alice.query.session);
  const viaApiChat = await ask(
    keyed("198.51.100.4"),
    { message: "Hi", user: "alice" },
    "/api/chat",
  );
  assert.equal(viaApiChat.query.session, alice.query.session);
  // Without a key, `user` changes nothing: a visitor cannot mint visitors.
  const anon = await ask(from("198.51.100.7"), { message: "Hi", user: "alice" }, "/api/chat");
  const anonOther = await ask(from("198.51.100.7"), { message: "Hi", user: "carol" }, "/api/chat");
  assert.equal(anonOther.query.session, anon.query.session);
  assert.notEqual(anon.query.session, alice.query.session);
  await assertError(
    await post(gw.base, v1, completion({ user: 42 }), keyed("198.51.100.4")),
    400,
    "invalid_request",
  );
});

Deno.test("an IPv6 client is counted by its /64: its other addresses share its limits", async () => {
  await using gw = await startGateway({ ...TRUSTED, ANON_REQUESTS_PER_MINUTE: "1" });
  const first = await askAs(gw.base, gw.site, from("2001:db8:1:2::1"));
  const refused = await post(
    gw.base,
    "/api/chat",
    { message: "Hello" },
    from("2001:db8:1:2:aaaa::9"),
  );
  await assertError(refused, 429, "rate_limit_exceeded");
  const neighbour = await askAs(gw.base, gw.site, from("2001:db8:1:3::1"));
  assert.notEqual(neighbour.query.session, first.query.session);
});
