/**
 * How the gateway presents itself to the site: `User-Agent: mwai-edge/<version>` on every
 * call, and for a staging site behind basic auth, the credentials of `AI_ENGINE_URL` as
 * `Authorization: Basic` to that site's origin only, never printed anywhere.
 */
import assert from "node:assert/strict";
import { AiEngineEmulator } from "../emulator/ai_engine_emulator.ts";
import { startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";
import { VERSION } from "../../lib/version.ts";

const USER = "ann";
const PASSWORD = "s3cret-Pa55";
const BASIC = `Basic ${btoa(`${USER}:${PASSWORD}`)}`;
const withCredentials = (url: string) =>
  url.replace("://", `://${USER}:${encodeURIComponent(PASSWORD)}@`);
const GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";

Deno.test("every call to the site says it is mwai-edge of this version, past a firewall that wants it", async () => {
  await using gw = await startGateway({}, {
    version: "2.0-2.4.3",
    allowedUserAgents: /^mwai-edge\//,
  });
  // 2.0.1–2.4.3: start_session is missing and the nonce is read from a page: every kind of call.
  const response = await post(gw.base, "/v1/chat/completions", {
    messages: [{
      role: "user",
      content: [{ type: "text", text: "What is this?" }, {
        type: "image_url",
        image_url: { url: GIF },
      }],
    }],
  });
  assert.equal(response.status, 200, await response.clone().text());
  await response.body?.cancel();
  const routes = gw.site.requests.map((request) => request.route ?? `GET ${request.path}`);
  assert.ok(routes.includes("/mwai/v1/start_session"), routes.join());
  assert.ok(routes.includes("GET /"), routes.join());
  assert.ok(routes.includes("/mwai-ui/v1/files/upload"), routes.join());
  assert.ok(routes.includes("/mwai-ui/v1/chats/submit"), routes.join());
  for (const request of gw.site.requests) {
    assert.equal(request.headers.get("user-agent"), `mwai-edge/${VERSION}`, request.path);
  }
});

Deno.test("a site behind basic auth is reached with AI_ENGINE_URL's credentials, never printed", async (t) => {
  const basicAuth = { user: USER, password: PASSWORD };
  await using gw = await startGateway(
    (site) => ({ AI_ENGINE_URL: withCredentials(site.url) }),
    { basicAuth },
  );

  await t.step("every call carries Authorization: Basic, and the answer comes", async () => {
    const response = await post(gw.base, "/api/chat", { message: "Hello" });
    assert.equal(await response.text(), ANSWER);
    assert.ok(gw.site.requests.length >= 2);
    for (const request of gw.site.requests) {
      assert.equal(request.headers.get("authorization"), BASIC, request.path);
    }
  });

  await t.step("nothing the gateway answers or prints holds the credentials", async () => {
    const pages = await Promise.all(
      ["/", "/healthz", "/v1/models", "/embed.js"].map(async (path) =>
        await (await fetch(`${gw.base}${path}`)).text()
      ),
    );
    const failed = await (await post(gw.base, "/api/chat", { message: "Hi __fake:500" })).text();
    const printed = [...pages, failed, await gw.output()].join("\n");
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), btoa(`${USER}:${PASSWORD}`)]) {
      assert.ok(!printed.includes(secret), `printed: ${secret}`);
    }
  });
});

Deno.test("without the credentials a site behind basic auth is a 502 that says so, not a crash", async () => {
  await using gw = await startGateway({}, { basicAuth: { user: USER, password: PASSWORD } });
  const error = await assertError(
    await post(gw.base, "/api/chat", { message: "Hello" }),
    502,
    "upstream_failed",
  );
  assert.match(error.message, /401/);
  assert.ok(gw.site.requests.every((request) => !request.headers.has("authorization")));
});

Deno.test("the site's credentials go to its origin only: not to a nonce page on another host", async () => {
  await using pages = await AiEngineEmulator.start({ version: "2.0-2.4.3" });
  const basicAuth = { user: USER, password: PASSWORD };
  await using gw = await startGateway(
    (site) => {
      pages.options.nonce = site.options.nonce;
      return {
        AI_ENGINE_URL: withCredentials(site.url),
        AI_ENGINE_NONCE_PAGE: `${pages.url}/chatbot/`,
      };
    },
    { version: "2.0-2.4.3", basicAuth },
  );
  const response = await post(gw.base, "/api/chat", { message: "Hello" });
  assert.equal(await response.text(), ANSWER);
  assert.ok(pages.requests.length >= 1, "the nonce page was read");
  for (const request of pages.requests) {
    assert.ok(!request.headers.has("authorization"), "another host got the site's credentials");
    assert.equal(request.headers.get("user-agent"), `mwai-edge/${VERSION}`);
  }
  for (const request of gw.site.requests) assert.equal(request.headers.get("authorization"), BASIC);
});
