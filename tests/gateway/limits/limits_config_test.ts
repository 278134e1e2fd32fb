import assert from "node:assert/strict";
import { ConfigError } from "../../../lib/variables.ts";
import {
  ANONYMOUS_DEFAULTS,
  LIMIT_VARIABLES,
  parseLimitsConfig,
} from "../../../lib/gateway/limits/limits_config.ts";
import { TURNSTILE_VERIFY_URL } from "../../../lib/gateway/limits/turnstile_pass.ts";

/** Asserts that `vars` fail with a ConfigError naming `variable`, its message matching `message`. */
function assertRefused(vars: Record<string, string>, variable: string, message = /./) {
  assert.throws(() => parseLimitsConfig(vars), (error) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.variable, variable);
    assert.match(error.message, message);
    return true;
  }, JSON.stringify(vars));
}

Deno.test("with no variables anonymous clients are limited, keyed ones are not, in memory", () => {
  const config = parseLimitsConfig({});
  assert.deepEqual(config.anonymous, {
    requestsPerMinute: ANONYMOUS_DEFAULTS.requestsPerMinute,
    concurrentAnswers: ANONYMOUS_DEFAULTS.concurrentAnswers,
    answerBudgetPerDay: null,
    failOpen: false,
  });
  assert.deepEqual(config.keyed, {
    requestsPerMinute: null,
    concurrentAnswers: null,
    answerBudgetPerDay: null,
    failOpen: true,
  });
  assert.deepEqual(
    [config.budgetUnit, config.store, config.denoKvPath, config.forwardedHops],
    ["characters", "memory", null, 0],
  );
  assert.deepEqual([config.publicChat, config.turnstile], [false, null]);
});

Deno.test("a limit is a positive whole number or off, in any case and with spaces", () => {
  const config = parseLimitsConfig({
    ANON_REQUESTS_PER_MINUTE: " 12 ",
    ANON_CONCURRENT_ANSWERS: "OFF",
    KEY_ANSWER_BUDGET_PER_DAY: "100000",
    KEY_CONCURRENT_ANSWERS: "",
  });
  assert.equal(config.anonymous.requestsPerMinute, 12);
  assert.equal(config.anonymous.concurrentAnswers, null);
  assert.equal(config.keyed.answerBudgetPerDay, 100_000);
  assert.equal(config.keyed.concurrentAnswers, null, "empty is unset");
});

Deno.test("a limit that is not a positive whole number is refused by name", () => {
  for (const bad of ["0", "-1", "1.5", "1e3", "ten", "012", "9007199254740993"]) {
    assertRefused(
      { KEY_REQUESTS_PER_MINUTE: bad },
      "KEY_REQUESTS_PER_MINUTE",
      /is not a positive whole number or "off"/,
    );
  }
});

Deno.test("the failure policies, budget unit, store and PUBLIC_CHAT take only their words", () => {
  const config = parseLimitsConfig({
    ANON_LIMITS_FAIL: "Open",
    KEY_LIMITS_FAIL: "closed",
    ANSWER_BUDGET_UNIT: "tokens",
    LIMITS_STORE: "deno-kv",
    DENO_KV_PATH: " /data/limits.sqlite ",
    PUBLIC_CHAT: "true",
  });
  assert.deepEqual([config.anonymous.failOpen, config.keyed.failOpen], [true, false]);
  assert.deepEqual([config.budgetUnit, config.store], ["tokens", "deno-kv"]);
  assert.deepEqual([config.denoKvPath, config.publicChat], ["/data/limits.sqlite", true]);
  for (
    const [name, bad] of [
      ["ANON_LIMITS_FAIL", "maybe"],
      ["ANSWER_BUDGET_UNIT", "words"],
      ["LIMITS_STORE", "redis"],
      ["PUBLIC_CHAT", "yes"],
    ]
  ) assertRefused({ [name!]: bad! }, name!, /is not one of/);
});

Deno.test("Turnstile needs both keys; the verifier is Cloudflare's unless an http(s) URL is given", () => {
  const keys = { TURNSTILE_SITE_KEY: "1x00000000000000000000AA", TURNSTILE_SECRET_KEY: "s" };
  assert.deepEqual(parseLimitsConfig(keys).turnstile, {
    siteKey: "1x00000000000000000000AA",
    secretKey: "s",
    verifyUrl: TURNSTILE_VERIFY_URL,
  });
  const local = "http://127.0.0.1:9/siteverify";
  assert.equal(
    parseLimitsConfig({ ...keys, TURNSTILE_VERIFY_URL: local }).turnstile?.verifyUrl,
    local,
  );
  assertRefused({ TURNSTILE_SECRET_KEY: "s" }, "TURNSTILE_SITE_KEY", /is needed with/);
  assertRefused({ TURNSTILE_SITE_KEY: keys.TURNSTILE_SITE_KEY }, "TURNSTILE_SECRET_KEY");
  for (const bad of ["file:///etc/passwd", "not a url"]) {
    assertRefused({ ...keys, TURNSTILE_VERIFY_URL: bad }, "TURNSTILE_VERIFY_URL", /http\(s\)/);
  }
});

Deno.test("LIMIT_VARIABLES lists every variable the limits read", () => {
  const source = Deno.readTextFileSync(
    new URL("../../../lib/gateway/limits/limits_config.ts", import.meta.url),
  );
  const read = new Set(
    [...source.matchAll(/(?:vars\.|vars,\s*")([A-Z_]{4,})/g)].map((match) => match[1]!),
  );
  assert.deepEqual([...read].sort(), [...LIMIT_VARIABLES].sort());
});

Deno.test("TURNSTILE_SITE_KEY takes Cloudflare's keys and its test keys, and refuses the rest by name", () => {
  for (
    const key of [
      "0x4AAAAAAADnPIDROrmt1Wwj",
      "1x00000000000000000000AA",
      "3x00000000000000000000FF",
    ]
  ) {
    const config = parseLimitsConfig({ TURNSTILE_SITE_KEY: ` ${key} `, TURNSTILE_SECRET_KEY: "s" });
    assert.equal(config.turnstile?.siteKey, key);
  }
  for (const bad of ['0x4AAAAAAA"</script>', "0x4AAAAAAA site", "4AAAAAAADnPIDROrmt1Wwj", "0x4A"]) {
    assert.throws(
      () => parseLimitsConfig({ TURNSTILE_SITE_KEY: bad, TURNSTILE_SECRET_KEY: "s" }),
      (error) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.variable, "TURNSTILE_SITE_KEY");
        assert.match(error.message, /^Invalid TURNSTILE_SITE_KEY: is not a Turnstile site key/);
        return true;
      },
      bad,
    );
  }
});

Deno.test("TRUST_X_FORWARDED_FOR is false, true (one proxy) or a count of proxies", () => {
  const hops = (value?: string) =>
    parseLimitsConfig({ TRUST_X_FORWARDED_FOR: value }).forwardedHops;
  assert.deepEqual([hops(), hops("false"), hops("true"), hops(" TRUE "), hops("2")], [
    0,
    0,
    1,
    1,
    2,
  ]);
  for (const bad of ["yes", "0", "11", "-1", "1.5"]) {
    assert.throws(() => hops(bad), /TRUST_X_FORWARDED_FOR/, bad);
  }
});
