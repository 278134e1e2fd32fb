import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../lib/gateway/config.ts";

Deno.test("with no variables the defaults of the contract apply", () => {
  const config = parseConfig({});
  assert.equal(config.siteUrl, "https://opchatgpts.net");
  assert.equal(config.restUrl, "https://opchatgpts.net/wp-json");
  assert.deepEqual(config.bots, ["default"]);
  assert.equal(config.nonce, null);
  assert.deepEqual(config.apiKeys, []);
  assert.deepEqual(config.allowedOrigins, []);
  assert.equal(config.webhookSecret, null);
  assert.equal(config.upstreamTimeoutMs, 120_000);
  assert.equal(config.connectTimeoutMs, 10_000);
  assert.equal(config.firstTextTimeoutMs, 300_000);
  assert.equal(config.answerTimeoutMs, 600_000);
  assert.equal(config.credentials, null);
  assert.equal(config.maxBodyBytes, 1_048_576);
});

Deno.test("the time limits are each set by their own variable", () => {
  const config = parseConfig({
    UPSTREAM_TIMEOUT_MS: "1200",
    UPSTREAM_CONNECT_TIMEOUT_MS: "100",
    FIRST_TEXT_TIMEOUT_MS: "3000",
    ANSWER_TIMEOUT_MS: "6000",
  });
  assert.deepEqual(
    [config.upstreamTimeoutMs, config.connectTimeoutMs, config.firstTextTimeoutMs],
    [1200, 100, 3000],
  );
  assert.equal(config.answerTimeoutMs, 6000);
  assert.throws(
    () => parseConfig({ UPSTREAM_CONNECT_TIMEOUT_MS: "soon" }),
    /UPSTREAM_CONNECT_TIMEOUT_MS/,
  );
});

Deno.test("lists are split on commas and trimmed, and the REST root follows the site", () => {
  const config = parseConfig({
    AI_ENGINE_URL: "https://example.com/",
    AI_ENGINE_BOTS: " support , sales,",
    API_KEYS: "k1,k2",
    ALLOWED_ORIGINS: "https://a.example, http://localhost:3000",
  });
  assert.equal(config.restUrl, "https://example.com/wp-json");
  assert.deepEqual(config.bots, ["support", "sales"]);
  assert.deepEqual(config.apiKeys, ["k1", "k2"]);
  assert.deepEqual(config.allowedOrigins, ["https://a.example", "http://localhost:3000"]);
});

Deno.test("an explicit REST root wins, for sites on ?rest_route=", () => {
  const config = parseConfig({ AI_ENGINE_REST_URL: "https://example.com/?rest_route=" });
  assert.equal(config.restUrl, "https://example.com/?rest_route=");
});

Deno.test("a star among the origins allows any origin", () => {
  assert.equal(parseConfig({ ALLOWED_ORIGINS: "*" }).allowedOrigins, "*");
});

for (
  const [variable, value] of [
    ["AI_ENGINE_URL", "not a url"],
    ["AI_ENGINE_URL", "ftp://example.com"],
    ["AI_ENGINE_REST_URL", "::"],
    ["AI_ENGINE_BOTS", " , "],
    ["ALLOWED_ORIGINS", "https://a.example/path"],
    ["ALLOWED_HOSTS", "https://chat.example.com"],
    ["ALLOWED_HOSTS", "chat.example.com:70000"],
    ["UPSTREAM_TIMEOUT_MS", "soon"],
    ["UPSTREAM_TIMEOUT_MS", "-5"],
    ["UPSTREAM_TIMEOUT_MS", "3000000000"],
    ["MAX_BODY_BYTES", "1.5"],
    ["MAX_BODY_BYTES", "0"],
  ] as const
) {
  Deno.test(`a bad ${variable} (${JSON.stringify(value)}) fails with a message naming it`, () => {
    assert.throws(() => parseConfig({ [variable]: value }), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.variable, variable);
      assert.match(error.message, new RegExp(`^Invalid ${variable}: `));
      return true;
    });
  });
}

Deno.test("AI_ENGINE_NONCE must be a nonce, refused by name without being quoted", () => {
  assert.equal(parseConfig({ AI_ENGINE_NONCE: " 55b8d074d1 " }).nonce, "55b8d074d1");
  for (const bad of ["EVIL\r\nX-A: 1", "EVIL\0", "EVIL-é", "EVIL".repeat(17), "EVIL EVIL"]) {
    assert.throws(() => parseConfig({ AI_ENGINE_NONCE: bad }), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /AI_ENGINE_NONCE/);
      assert.ok(!error.message.includes("EVIL"), error.message);
      return true;
    });
  }
});

Deno.test("AI_ENGINE_URL's credentials are taken out: the site's URL holds none, its origin gets them", () => {
  const config = parseConfig({ AI_ENGINE_URL: "https://ann:s3cret@staging.example/" });
  assert.equal(config.siteUrl, "https://staging.example");
  assert.equal(config.restUrl, "https://staging.example/wp-json");
  assert.equal(config.noncePage, "https://staging.example/");
  assert.equal(
    config.credentials?.authorizationFor(config.restUrl),
    `Basic ${btoa("ann:s3cret")}`,
  );
  assert.ok(!JSON.stringify(config).includes("s3cret"), "the config prints the password");
  assert.ok(!JSON.stringify(config).includes(btoa("ann:s3cret")), "the config prints it encoded");
  const error = (() => {
    try {
      parseConfig({ AI_ENGINE_URL: "ftp://ann:s3cret@staging.example" });
    } catch (error) {
      return error;
    }
  })();
  assert.ok(error instanceof ConfigError && !error.message.includes("s3cret"), String(error));
});

Deno.test("a URL other than AI_ENGINE_URL with a user name or password is refused unquoted", () => {
  for (const name of ["AI_ENGINE_REST_URL", "PUBLIC_URL", "AI_ENGINE_NONCE_PAGE"]) {
    for (const value of ["https://admin:s3cret@example.com", "ftp://admin:s3cret@example.com"]) {
      assert.throws(() => parseConfig({ [name]: value }), (error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, new RegExp(name));
        assert.ok(!error.message.includes("s3cret"), error.message);
        return true;
      });
    }
  }
  assert.throws(
    () => parseConfig({ AI_ENGINE_URL: "https://admin:s3cret@exa mple.com" }),
    (error) => error instanceof ConfigError && !error.message.includes("s3cret"),
  );
});

Deno.test("PUBLIC_URL settles the gateway's own origin; unset, the request's is used", () => {
  assert.equal(parseConfig({}).publicOrigin, null);
  assert.equal(
    parseConfig({ PUBLIC_URL: "https://chat.example.com/gateway/" }).publicOrigin,
    "https://chat.example.com",
  );
  assert.equal(parseConfig({ PUBLIC_URL: "http://LOCALHOST:80" }).publicOrigin, "http://localhost");
  assert.throws(() => parseConfig({ PUBLIC_URL: "chat.example.com" }), /PUBLIC_URL/);
});

Deno.test("SESSION_SECRET must be 16 characters or more, refused by name without being quoted", () => {
  assert.equal(parseConfig({}).sessionSecret, null);
  assert.equal(
    parseConfig({ SESSION_SECRET: "0123456789abcdef" }).sessionSecret,
    "0123456789abcdef",
  );
  assert.throws(
    () => parseConfig({ SESSION_SECRET: "s3cret" }),
    (error) =>
      error instanceof ConfigError && /SESSION_SECRET/.test(error.message) &&
      !error.message.includes("s3cret"),
  );
});

Deno.test("ALLOWED_HOSTS and PUBLIC_URL's host are the names served; nothing else but loopback", () => {
  const served = parseConfig({
    ALLOWED_HOSTS: "gw.internal:8000, .intranet.example",
    PUBLIC_URL: "https://chat.example.com/",
  }, null).servedNames;
  assert.deepEqual(served, {
    any: null,
    names: [
      { hostname: "gw.internal", port: "8000", subdomains: false },
      { hostname: "intranet.example", port: null, subdomains: true },
      { hostname: "chat.example.com", port: null, subdomains: false },
    ],
  });
  assert.deepEqual(parseConfig({}, null).servedNames, { any: null, names: [] });
  assert.equal(parseConfig({}, "Deno Deploy").servedNames.any, "Deno Deploy");
});

Deno.test("an ALLOWED_HOSTS entry with a user name is refused without being quoted", () => {
  assert.throws(() => parseConfig({ ALLOWED_HOSTS: "admin:s3cret@chat.example.com" }), (error) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.variable, "ALLOWED_HOSTS");
    assert.ok(!error.message.includes("s3cret"), error.message);
    return true;
  });
});
