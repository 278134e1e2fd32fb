import assert from "node:assert/strict";
import { AiEngineEmulator, DEFAULT_ANSWER } from "./ai_engine_emulator.ts";
import { htmlSpecialChars } from "./chatbot_page.ts";

const NONCE = "8f3a2b1c9d";

function startSession(site: AiEngineEmulator): Promise<Response> {
  return fetch(`${site.restUrl}/mwai/v1/start_session`, { method: "POST" });
}

function submit(site: AiEngineEmulator, nonce: string | null, stream = false): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (nonce !== null) headers["x-wp-nonce"] = nonce;
  return fetch(`${site.restUrl}/mwai-ui/v1/chats/submit`, {
    method: "POST",
    headers,
    body: JSON.stringify({ botId: "default", newMessage: "Hi", stream }),
  });
}

/** The `data-system` attribute of the page's chatbot container, as the HTML has it. */
function dataSystem(html: string): string {
  const match = html.match(/<div class='mwai-chatbot-container'[^>]* data-system='([^']*)'/);
  assert.ok(match, "no chatbot container with data-system");
  return match[1]!;
}

function htmlUnescape(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#039;/g, "'").replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

Deno.test("1.9: no start_session, and submit needs no nonce", async () => {
  await using site = await AiEngineEmulator.start({ version: "1.9" });
  const session = await startSession(site);
  assert.equal(session.status, 404);
  assert.equal((await session.json()).code, "rest_no_route");
  const answer = await submit(site, null);
  assert.equal(answer.status, 200);
  assert.deepEqual(Object.keys(await answer.json()), ["success", "reply", "images", "usage"]);
});

Deno.test("2.0.1-2.4.3: no start_session; the nonce is only in the page, escaped", async (t) => {
  await using site = await AiEngineEmulator.start({ version: "2.0-2.4.3", nonce: NONCE });

  await t.step("start_session is 404 rest_no_route", async () => {
    const session = await startSession(site);
    assert.equal(session.status, 404);
    assert.equal((await session.json()).code, "rest_no_route");
  });

  await t.step("submit without a nonce is 401 rest_forbidden", async () => {
    const answer = await submit(site, null);
    assert.equal(answer.status, 401);
    assert.equal((await answer.json()).code, "rest_forbidden");
  });

  await t.step("submit with a stale nonce is 403 rest_cookie_invalid_nonce", async () => {
    const answer = await submit(site, "0000000000");
    assert.equal(answer.status, 403);
    assert.equal((await answer.json()).code, "rest_cookie_invalid_nonce");
  });

  await t.step("the home page's data-system is htmlspecialchars(json_encode) of it", async () => {
    const page = await fetch(`${site.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    const attribute = dataSystem(await page.text());
    assert.match(attribute, /&quot;restNonce&quot;:&quot;8f3a2b1c9d&quot;/);
    assert.match(attribute, /&quot;sessionId&quot;:&quot;N\\\/A&quot;/);
    assert.equal(attribute, htmlSpecialChars(attribute.replace(/&quot;/g, '"')));
    assert.equal(JSON.parse(htmlUnescape(attribute)).restNonce, NONCE);
  });

  await t.step("submit with the page's nonce is answered, without new_token", async () => {
    const answer = await submit(site, NONCE, true);
    assert.equal(answer.status, 200);
    const text = await answer.text();
    assert.ok(text.includes('"type":"end"'));
    assert.ok(!text.includes("new_token"));
    assert.equal(site.sessionsStarted, 0);
  });
});

Deno.test("2.4.4+: start_session hands out the nonce, the page none", async () => {
  await using site = await AiEngineEmulator.start({ version: "2.4.4+", nonce: NONCE });
  const session = await startSession(site);
  assert.equal(session.status, 200);
  assert.deepEqual(await session.json(), { success: true, sessionId: "N/A", restNonce: NONCE });
  assert.ok(!(session.headers.get("set-cookie") ?? "").includes("mwai_session_id"));
  const page = await (await fetch(`${site.url}/`)).text();
  assert.equal(JSON.parse(htmlUnescape(dataSystem(page))).restNonce, null);
  const answer = await submit(site, NONCE);
  assert.equal((await answer.json()).reply, DEFAULT_ANSWER);
});

Deno.test("3.x is the default, as recorded: a GET of / stays 404", async () => {
  await using site = await AiEngineEmulator.start();
  assert.equal((await fetch(`${site.url}/`).then((r) => r.json())).code, "rest_no_route");
  const { restNonce } = await (await startSession(site)).json();
  const answer = await submit(site, restNonce);
  assert.deepEqual(Object.keys(await answer.json()), [
    "success",
    "reply",
    "images",
    "actions",
    "shortcuts",
    "blocks",
    "usage",
    "responseId",
  ]);
});

Deno.test("2.0.1-2.4.3: every page shows the site-wide chatbot with the nonce", async () => {
  await using old = await AiEngineEmulator.start({ version: "2.0-2.4.3", nonce: NONCE });
  const page = await (await fetch(`${old.url}/any/page`)).text();
  assert.equal(JSON.parse(htmlUnescape(dataSystem(page))).restNonce, NONCE);
});
