import assert from "node:assert/strict";
import {
  checkPass,
  issuePass,
  PASS_TTL_SECONDS,
  verifyTurnstile,
} from "../../../lib/gateway/limits/turnstile_pass.ts";
import { STAND_IN_SECRET, startTurnstileStandIn } from "./turnstile_stand_in.ts";

const NOW = 1_800_000_000;
const CLIENT = "ip:203.0.113.7";

Deno.test("a good token passes; siteverify is sent the secret, the token and the client's address", async () => {
  await using standIn = startTurnstileStandIn();
  const outcome = await verifyTurnstile({
    token: "good",
    secret: STAND_IN_SECRET,
    remoteIp: "203.0.113.7",
    verifyUrl: standIn.url,
  });
  assert.deepEqual(outcome, { ok: true });
  assert.deepEqual(Object.fromEntries(standIn.forms[0]!), {
    secret: STAND_IN_SECRET,
    response: "good",
    remoteip: "203.0.113.7",
  });
});

Deno.test("an address the gateway does not know is not sent", async () => {
  await using standIn = startTurnstileStandIn();
  for (const remoteIp of [null, "unknown"]) {
    const token = `good-${remoteIp}`;
    await verifyTurnstile({ token, secret: STAND_IN_SECRET, remoteIp, verifyUrl: standIn.url });
  }
  assert.deepEqual(standIn.forms.map((form) => form.has("remoteip")), [false, false]);
});

Deno.test("a token used twice, or timed out, is expired; any other refusal is invalid", async () => {
  await using standIn = startTurnstileStandIn();
  const verify = (token: string, secret = STAND_IN_SECRET) =>
    verifyTurnstile({ token, secret, remoteIp: null, verifyUrl: standIn.url });
  assert.deepEqual(await verify("good"), { ok: true });
  assert.deepEqual(await verify("good"), { ok: false, reason: "expired" });
  assert.deepEqual(await verify("stale"), { ok: false, reason: "expired" });
  assert.deepEqual(await verify("forged"), { ok: false, reason: "invalid" });
  assert.deepEqual(await verify("good-2", "wrong secret"), { ok: false, reason: "invalid" });
});

Deno.test("a verifier that cannot be reached, fails, or answers other than JSON is unavailable", async () => {
  const answers: (typeof fetch)[] = [
    () => Promise.reject(new TypeError("connection refused")),
    () => Promise.resolve(new Response("busy", { status: 503 })),
    () => Promise.resolve(new Response("<html>", { status: 200 })),
  ];
  for (const fetch of answers) {
    const outcome = await verifyTurnstile({
      token: "good",
      secret: STAND_IN_SECRET,
      remoteIp: null,
      verifyUrl: "https://challenges.example/siteverify",
      fetch,
    });
    assert.deepEqual(outcome, { ok: false, reason: "unavailable" });
  }
});

Deno.test("a pass is good for its client for an hour, and not a second longer", async () => {
  const pass = await issuePass("secret", CLIENT, NOW);
  assert.match(pass, /^[0-9]+\.[A-Za-z0-9_-]{43}$/);
  assert.equal(await checkPass(pass, "secret", CLIENT, NOW), true);
  assert.equal(await checkPass(pass, "secret", CLIENT, NOW + PASS_TTL_SECONDS - 1), true);
  assert.equal(await checkPass(pass, "secret", CLIENT, NOW + PASS_TTL_SECONDS), false);
});

Deno.test("a pass is no good for another client, under another secret, or with its expiry moved", async () => {
  const pass = await issuePass("secret", CLIENT, NOW);
  assert.equal(await checkPass(pass, "secret", "ip:203.0.113.8", NOW), false);
  assert.equal(await checkPass(pass, "other secret", CLIENT, NOW), false);
  const [expires, mac] = pass.split(".");
  const later = `${Number(expires) + PASS_TTL_SECONDS}.${mac}`;
  assert.equal(await checkPass(later, "secret", CLIENT, NOW + PASS_TTL_SECONDS), false);
});

Deno.test("anything that is not the shape of a pass is refused without a check", async () => {
  const pass = await issuePass("secret", CLIENT, NOW);
  for (const bad of ["", "x", `${pass}=`, `-1.${pass.split(".")[1]}`, pass.replace(".", ":")]) {
    assert.equal(await checkPass(bad, "secret", CLIENT, NOW), false, bad);
  }
});
