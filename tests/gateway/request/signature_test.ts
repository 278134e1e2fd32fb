import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { HttpError } from "../../../lib/gateway/http_error.ts";
import {
  SIGNATURE_TOLERANCE_SECONDS,
  SignatureReplays,
  signBody,
  verifySignature,
} from "../../../lib/gateway/request/signature.ts";

const SECRET = "s3cret";
const NOW = 1_795_519_579_000; // a fixed "now", in ms
const TIMESTAMP = String(NOW / 1000);
const BODY = new TextEncoder().encode('{"message":"Привет 👋"}');

/** The signature computed independently, with node:crypto. */
function expectedSignature(secret: string, timestamp: string, body: Uint8Array): string {
  const hmac = createHmac("sha256", secret).update(`${timestamp}.`).update(body);
  return `sha256=${hmac.digest("hex")}`;
}

async function refusal(
  promise: Promise<void>,
  code: "invalid_signature" | "signature_expired" | "signature_replayed",
): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof HttpError, String(error));
    assert.equal(error.status, 403);
    assert.equal(error.type, "permission_error");
    assert.equal(error.code, code);
    return true;
  });
}

Deno.test("signBody is HMAC-SHA256 over '<timestamp>.<raw body>', as sha256=<hex>", async () => {
  assert.equal(await signBody(SECRET, TIMESTAMP, BODY), expectedSignature(SECRET, TIMESTAMP, BODY));
});

Deno.test("a call signed with the secret over its raw bytes is accepted", async () => {
  const signature = expectedSignature(SECRET, TIMESTAMP, BODY);
  await verifySignature(SECRET, TIMESTAMP, signature, BODY, NOW);
});

Deno.test("the hex of the signature may be upper case", async () => {
  const signature = expectedSignature(SECRET, TIMESTAMP, BODY).replace(
    /[0-9a-f]{64}$/,
    (hex) => hex.toUpperCase(),
  );
  await verifySignature(SECRET, TIMESTAMP, signature, BODY, NOW);
});

Deno.test("a signature made with another secret is refused", async () => {
  const signature = expectedSignature("other", TIMESTAMP, BODY);
  await refusal(verifySignature(SECRET, TIMESTAMP, signature, BODY, NOW), "invalid_signature");
});

Deno.test("a body changed by one byte is refused", async () => {
  const signature = expectedSignature(SECRET, TIMESTAMP, BODY);
  const changed = BODY.slice();
  changed[changed.length - 2]! ^= 1;
  await refusal(verifySignature(SECRET, TIMESTAMP, signature, changed, NOW), "invalid_signature");
});

Deno.test("the signature covers the raw bytes: the same JSON with other spacing is refused", async () => {
  const signature = expectedSignature(SECRET, TIMESTAMP, BODY);
  const respaced = new TextEncoder().encode('{ "message": "Привет 👋" }');
  await refusal(verifySignature(SECRET, TIMESTAMP, signature, respaced, NOW), "invalid_signature");
});

Deno.test("a signature for another timestamp is refused, even within the window", async () => {
  const other = String(NOW / 1000 - 10);
  const signature = expectedSignature(SECRET, other, BODY);
  await refusal(verifySignature(SECRET, TIMESTAMP, signature, BODY, NOW), "invalid_signature");
});

Deno.test("timestamps up to 300 s from now, either way, are accepted", async () => {
  assert.equal(SIGNATURE_TOLERANCE_SECONDS, 300);
  for (const offset of [-300, -1, 0, 1, 300]) {
    const timestamp = String(NOW / 1000 + offset);
    await verifySignature(SECRET, timestamp, expectedSignature(SECRET, timestamp, BODY), BODY, NOW);
  }
});

Deno.test("a timestamp more than 300 s from now is refused as a replay, even with a good MAC", async () => {
  for (const offset of [-301, 301, -86_400]) {
    const timestamp = String(NOW / 1000 + offset);
    await refusal(
      verifySignature(SECRET, timestamp, expectedSignature(SECRET, timestamp, BODY), BODY, NOW),
      "signature_expired",
    );
  }
});

for (
  const [what, timestamp, signature] of [
    ["a missing timestamp", null, expectedSignature(SECRET, TIMESTAMP, BODY)],
    ["an empty timestamp", "", expectedSignature(SECRET, TIMESTAMP, BODY)],
    ["a missing signature", TIMESTAMP, null],
    ["a timestamp in milliseconds' form with a dot", `${TIMESTAMP}.5`, "sha256=00"],
    ["a timestamp that is a date", "2026-11-24T11:26:19Z", "sha256=00"],
    ["a negative timestamp", `-${TIMESTAMP}`, "sha256=00"],
    [
      "a signature without the sha256= prefix",
      TIMESTAMP,
      expectedSignature(SECRET, TIMESTAMP, BODY).slice(7),
    ],
    [
      "a signature of another algorithm",
      TIMESTAMP,
      expectedSignature(SECRET, TIMESTAMP, BODY).replace("sha256", "sha1"),
    ],
    [
      "a signature one hex digit short",
      TIMESTAMP,
      expectedSignature(SECRET, TIMESTAMP, BODY).slice(0, -1),
    ],
    [
      "a signature with a non-hex digit",
      TIMESTAMP,
      `${expectedSignature(SECRET, TIMESTAMP, BODY).slice(0, -1)}g`,
    ],
    [
      "a signature with trailing space",
      TIMESTAMP,
      `${expectedSignature(SECRET, TIMESTAMP, BODY)} `,
    ],
  ] as const
) {
  Deno.test(`${what} is refused with 403 invalid_signature`, async () => {
    await refusal(verifySignature(SECRET, timestamp, signature, BODY, NOW), "invalid_signature");
  });
}

Deno.test("an empty body can be signed and verified", async () => {
  const empty = new Uint8Array(0);
  const signature = await signBody(SECRET, TIMESTAMP, empty);
  assert.equal(signature, expectedSignature(SECRET, TIMESTAMP, empty));
  await verifySignature(SECRET, TIMESTAMP, signature, empty, NOW);
});

Deno.test("now defaults to the clock: a fresh signature passes, one of ten minutes ago does not", async () => {
  const fresh = String(Math.floor(Date.now() / 1000));
  await verifySignature(SECRET, fresh, await signBody(SECRET, fresh, BODY), BODY);
  const old = String(Math.floor(Date.now() / 1000) - 600);
  await refusal(
    verifySignature(SECRET, old, await signBody(SECRET, old, BODY), BODY),
    "signature_expired",
  );
});

Deno.test("a signature is accepted once: its replay within the window is signature_replayed", async () => {
  const seen = new SignatureReplays();
  const signature = expectedSignature(SECRET, TIMESTAMP, BODY);
  await verifySignature(SECRET, TIMESTAMP, signature, BODY, NOW, seen);
  await refusal(
    verifySignature(SECRET, TIMESTAMP, signature, BODY, NOW + 1000, seen),
    "signature_replayed",
  );
  // The hex in capitals is the same MAC, not a new signature.
  await refusal(
    verifySignature(
      SECRET,
      TIMESTAMP,
      `sha256=${signature.slice(7).toUpperCase()}`,
      BODY,
      NOW,
      seen,
    ),
    "signature_replayed",
  );
  // Past the window the timestamp refuses it, whatever the set holds.
  await refusal(
    verifySignature(SECRET, TIMESTAMP, signature, BODY, NOW + 301_000, seen),
    "signature_expired",
  );
});

Deno.test("a bad signature is not remembered, so it cannot crowd out good ones", async () => {
  const seen = new SignatureReplays();
  await refusal(
    verifySignature(SECRET, TIMESTAMP, `sha256=${"0".repeat(64)}`, BODY, NOW, seen),
    "invalid_signature",
  );
  assert.equal(seen.size, 0);
});

Deno.test("remembered signatures are bounded: expired ones leave, and past the cap the oldest", () => {
  const seen = new SignatureReplays(3);
  const ts = NOW / 1000;
  for (const signature of ["a", "b", "c"]) assert.ok(seen.accept(signature, ts, NOW));
  assert.ok(seen.accept("d", ts, NOW));
  assert.equal(seen.size, 3);
  assert.ok(seen.accept("a", ts, NOW), "the oldest was let go at the cap");
  assert.ok(!seen.accept("d", ts, NOW));
  const later = NOW + (SIGNATURE_TOLERANCE_SECONDS + 1) * 1000;
  assert.ok(seen.accept("e", later / 1000, later));
  assert.equal(seen.size, 1, "every window had ended");
});
