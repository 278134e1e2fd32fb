import assert from "node:assert/strict";
import { VERSION } from "../../lib/version.ts";
import { appOverSite } from "../support/app_over_site.ts";
import { ANSWER, assertError, sseData } from "../contract/http_client.ts";

const GETS = ["/", "/embed.js", "/healthz", "/v1/models", "/v1/models/default"];
const COMPLETION = { model: "default", messages: [{ role: "user", content: "Hi" }] };
const completionText = (body: string) => JSON.parse(body).choices[0].message.content;
const uiText = (body: string) =>
  sseData(body).filter((data) => data !== "[DONE]").map((data) => JSON.parse(data))
    .filter((part) => part.type === "text-delta").map((part) => part.delta).join("");

/** Each answer route, a request body, and how to read the answer's text from its body. */
const ANSWERS: [string, unknown, (body: string) => string][] = [
  ["/v1/chat/completions", COMPLETION, completionText],
  ["/v1/chat/completions/", COMPLETION, completionText],
  ["/api/chat", { message: "Hi" }, (body) => body],
  ["/api/ui-chat", { messages: [{ role: "user", parts: [{ type: "text", text: "Hi" }] }] }, uiText],
  ["/api/webhook", { message: "Hi" }, (body) => JSON.parse(body).reply],
];

Deno.test("every GET route of the table answers 200", async () => {
  await using gw = await appOverSite();
  for (const path of GETS) {
    const response = await gw.app.request(path);
    assert.equal(response.status, 200, path);
    await response.body?.cancel();
  }
});

Deno.test("every answer route asks the site and brings its answer back", async () => {
  await using gw = await appOverSite();
  for (const [path, body, textOf] of ANSWERS) {
    const response = await gw.post(path, body);
    assert.equal(response.status, 200, path);
    assert.equal(textOf(await response.text()), ANSWER, path);
  }
  assert.equal(gw.site.submits.length, ANSWERS.length);
});

Deno.test("/healthz says the gateway is up, and its version", async () => {
  await using gw = await appOverSite();
  assert.deepEqual(await (await gw.app.request("/healthz")).json(), { ok: true, version: VERSION });
});

Deno.test("a route asked with another method is 405, and Allow names the one it takes", async () => {
  await using gw = await appOverSite();
  const wrong: [string, string, string][] = [
    ...GETS.map((path) => [path, "POST", "GET"] as [string, string, string]),
    ...ANSWERS.map(([path]) => [path, "GET", "POST"] as [string, string, string]),
    ["/api/chat", "DELETE", "POST"],
  ];
  for (const [path, method, allow] of wrong) {
    const response = await gw.app.request(path, { method });
    assert.equal(response.headers.get("allow"), allow, `${method} ${path}`);
    const error = await assertError(response, 405, "method_not_allowed");
    assert.match(error.message, new RegExp(`use ${allow}$`));
  }
  assert.equal(gw.site.requests.length, 0);
});

Deno.test("a path of no route is 404 naming it, cut to 200 characters", async () => {
  await using gw = await appOverSite();
  const error = await assertError(await gw.app.request("/v2/chat"), 404, "not_found");
  assert.equal(error.message, "No route GET /v2/chat");
  const long = `/${"x".repeat(500)}`;
  const cut = await assertError(await gw.app.request(long), 404, "not_found");
  assert.equal(cut.message, `No route GET ${long.slice(0, 200)}`);
});

Deno.test("with API_KEYS the key guards /v1 and the chat faces; the pages and /healthz stay open", async () => {
  await using gw = await appOverSite({ API_KEYS: "k1" });
  for (const path of ["/", "/embed.js", "/healthz"]) {
    const response = await gw.app.request(path);
    assert.equal(response.status, 200, path);
    await response.body?.cancel();
  }
  await assertError(await gw.app.request("/v1/models"), 401, "invalid_api_key");
  for (const [path, body] of ANSWERS.filter(([path]) => path !== "/api/webhook")) {
    await assertError(await gw.post(path, body), 401, "invalid_api_key");
  }
  assert.equal(gw.site.requests.length, 0);
});

Deno.test("the limits count the answer routes only", async () => {
  await using gw = await appOverSite({ ANON_REQUESTS_PER_MINUTE: "100" });
  for (const path of GETS) {
    const response = await gw.app.request(path);
    assert.equal(response.headers.get("ratelimit-policy"), null, path);
    await response.body?.cancel();
  }
  for (const [path, body] of ANSWERS) {
    const response = await gw.post(path, body);
    assert.match(response.headers.get("ratelimit-policy") ?? "", /"minute";q=100/, path);
    await response.body?.cancel();
  }
});
