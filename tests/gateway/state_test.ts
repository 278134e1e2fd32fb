import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import { ConfigError, parseConfig, VARIABLES } from "../../lib/gateway/config.ts";
import { gatewayState } from "../../lib/gateway/state.ts";
import { WARM_LINE } from "../../lib/gateway/warm_session.ts";
import { AiEngineEmulator } from "../emulator/ai_engine_emulator.ts";

const noFetch: typeof fetch = () => Promise.reject(new Error("no fetch expected"));

/** Runs `body` with the gateway's variables set to `vars` only, then puts them back. */
function withEnv<T>(vars: Record<string, string>, body: () => T): T {
  const saved = new Map(VARIABLES.map((name) => [name, Deno.env.get(name)]));
  for (const name of VARIABLES) Deno.env.delete(name);
  for (const [name, value] of Object.entries(vars)) Deno.env.set(name, value);
  try {
    return body();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
}

/** What a state wrote: `parsed` leaves out the start-up line of the names served. */
function written() {
  const lines: string[] = [];
  const all = () => lines.map((l) => JSON.parse(l));
  return {
    write: (line: string) => lines.push(line),
    all,
    parsed: () => all().filter((line) => line.level !== "info"),
  };
}

Deno.test("gatewayState makes the state once, from the config given, on its first call", () => {
  const { write, all } = written();
  const config = parseConfig({ API_KEYS: "k1" });
  const state = gatewayState({ config, fetch: noFetch, write });
  assert.equal(all().length, 0);
  const first = state(undefined);
  assert.equal(first.config, config);
  assert.equal(state({ AI_ENGINE_URL: "https://other.example" }), first);
  assert.equal(state(undefined).session, first.session);
  assert.equal(all().length, 1, "the names served, said once");
});

Deno.test("gatewayState says the names it serves, once, and how to add one", () => {
  const { write, all } = written();
  const config = parseConfig({
    API_KEYS: "k1",
    PUBLIC_URL: "https://chat.example.com/",
    ALLOWED_HOSTS: "gw.internal:8000",
  }, null);
  const state = gatewayState({ config, fetch: noFetch, write });
  state(undefined);
  state(undefined);
  assert.deepEqual(all(), [{
    level: "info",
    message: "Serving localhost, *.localhost, IP addresses, gw.internal:8000, chat.example.com; " +
      "another Host is refused with 421 (ALLOWED_HOSTS, PUBLIC_URL)",
  }]);
});

Deno.test("gatewayState on a platform that routes by name says it serves any name", () => {
  const { write, all } = written();
  const config = parseConfig({ API_KEYS: "k1" }, "Cloudflare Workers");
  gatewayState({ config, fetch: noFetch, write })(undefined);
  assert.match(all()[0].message, /^Serving any name \(Cloudflare Workers\)$/);
});

Deno.test("gatewayState warns once that the API is open when API_KEYS is unset", () => {
  const { write, parsed } = written();
  const state = gatewayState({ config: parseConfig({}), fetch: noFetch, write });
  state(undefined);
  state(undefined);
  assert.deepEqual(parsed(), [
    { level: "warn", message: "API_KEYS is unset: the API is open to anyone" },
  ]);
});

Deno.test("gatewayState on Deno reads the environment at once and says an open API at start-up", () => {
  const { write, parsed } = written();
  const state = withEnv(
    { AI_ENGINE_URL: "https://env.example/" },
    () => gatewayState({ fetch: noFetch, write }),
  );
  assert.deepEqual(parsed(), [
    { level: "warn", message: "API_KEYS is unset: the API is open to anyone" },
  ]);
  // Made from the environment as it was: later bindings change nothing.
  assert.equal(
    state({ AI_ENGINE_URL: "https://bindings.example" }).config.siteUrl,
    "https://env.example",
  );
});

Deno.test("gatewayState writes a bad variable at start-up as an error line, then throws it on every call until fixed", () => {
  const { write, parsed } = written();
  const state = withEnv({ MAX_BODY_BYTES: "lots" }, () => gatewayState({ fetch: noFetch, write }));
  assert.deepEqual(parsed(), [
    { level: "error", message: 'Invalid MAX_BODY_BYTES: "lots" is not a positive whole number' },
  ]);
  const bad = { MAX_BODY_BYTES: "lots", API_KEYS: "k1" };
  for (let call = 0; call < 3; call++) {
    assert.throws(() => state(bad), (error) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.variable, "MAX_BODY_BYTES");
      return true;
    });
  }
  const fixed = state({ MAX_BODY_BYTES: "2048", API_KEYS: "k1" });
  assert.equal(fixed.config.maxBodyBytes, 2048);
  assert.equal(state(bad), fixed);
  assert.equal(parsed().length, 1);
});

Deno.test("gatewayState configures the session from the config: REST root and fixed nonce", async () => {
  const config = parseConfig({
    AI_ENGINE_REST_URL: "https://site.example/?rest_route=",
    AI_ENGINE_NONCE: "55b8d074d1",
    API_KEYS: "k1",
  });
  const { session } = gatewayState({ config, fetch: noFetch, write: () => {} })(undefined);
  assert.equal(session.restUrl, "https://site.example/?rest_route=");
  assert.equal(await session.nonce(), "55b8d074d1");
});

Deno.test("gatewayState gives the session its fetch and the upstream time limit", async () => {
  const asked: string[] = [];
  // Answers only when the request's signal gives up: the session's own time limit.
  const hanging: typeof fetch = (input, init) => {
    asked.push(String(input));
    return new Promise((_resolve, reject) => {
      init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
    });
  };
  const config = parseConfig({ AI_ENGINE_URL: "https://site.example", UPSTREAM_TIMEOUT_MS: "40" });
  const { session } = gatewayState({ config, fetch: hanging, write: () => {} })(undefined);
  const started = performance.now();
  await assert.rejects(session.nonce(), (error) => {
    assert.ok(error instanceof AiEngineError, String(error));
    assert.equal(error.type, "timeout");
    return true;
  });
  const took = performance.now() - started;
  assert.ok(took >= 30 && took < 5_000, `gave up after ${took} ms`);
  assert.deepEqual(asked, ["https://site.example/wp-json/mwai/v1/start_session"]);
});

Deno.test("gatewayState's session reaches the site with its credentials and User-Agent", async () => {
  // The connect limit is the transport's to keep (tests/ai_engine/site_client_test.ts).
  const seen: { url: string; init: RequestInit }[] = [];
  const recording: typeof fetch = (input, init) => {
    seen.push({ url: String(input), init: init ?? {} });
    return Promise.resolve(Response.json({ success: true, restNonce: "n1" }));
  };
  const config = parseConfig({
    AI_ENGINE_URL: "https://ann:pw@site.example",
    UPSTREAM_CONNECT_TIMEOUT_MS: "1234",
  });
  const { session } = gatewayState({ config, fetch: recording, write: () => {} })(undefined);
  assert.equal(await session.nonce(), "n1");
  assert.equal(seen[0]!.url, "https://site.example/wp-json/mwai/v1/start_session");
  const headers = new Headers(seen[0]!.init.headers);
  assert.equal(headers.get("authorization"), `Basic ${btoa("ann:pw")}`);
  assert.match(headers.get("user-agent")!, /^mwai-edge\//);
});

Deno.test("gatewayState writes the session's warnings as warning lines", () => {
  const { write, parsed } = written();
  const config = parseConfig({ API_KEYS: "k1" });
  const { session } = gatewayState({ config, fetch: noFetch, write })(undefined);
  session.renew("not a nonce\r\nX-Evil: 1");
  const lines = parsed();
  assert.equal(lines.length, 1);
  assert.equal(lines[0].level, "warn");
  assert.match(lines[0].message, /^Ignored a nonce the site handed out/);
  assert.ok(!JSON.stringify(lines).includes("X-Evil"));
});

Deno.test("main.ts's gateway on Deno asks the site for its nonce at start-up, once", async () => {
  await using site = await AiEngineEmulator.start();
  const warmed = Promise.withResolvers<string>();
  const state = withEnv({ AI_ENGINE_URL: site.url, API_KEYS: "k1" }, () =>
    gatewayState({
      write: (line) => {
        const { message } = JSON.parse(line);
        if (message.startsWith(WARM_LINE)) warmed.resolve(message);
      },
    }));
  assert.match(await warmed.promise, /ready in \d+ ms$/);
  assert.equal(site.sessionsStarted, 1);
  assert.ok(await state(undefined).session.nonce());
  assert.equal(site.sessionsStarted, 1, "the first answer finds the nonce at hand");
});

Deno.test("a gateway with a config or a fetch of its own asks nothing before an answer", () => {
  const begun: Promise<unknown>[] = [];
  const waitUntil = (work: Promise<unknown>) => begun.push(work);
  const config = parseConfig({ AI_ENGINE_URL: "https://site.example", API_KEYS: "k1" });
  gatewayState({ config, write: () => {} })(undefined, waitUntil);
  withEnv(
    { AI_ENGINE_URL: "https://site.example", API_KEYS: "k1" },
    () => gatewayState({ fetch: noFetch, write: () => {} })(undefined, waitUntil),
  );
  assert.equal(begun.length, 0);
});
