import assert from "node:assert/strict";
import { AiEngineEmulator } from "./ai_engine_emulator.ts";
import { basicAuthAnswer } from "./basic_auth.ts";

const REQUIRED = { user: "ann", password: "pw" };

Deno.test("basic auth: a request without the credentials gets the web server's 401, WordPress none", () => {
  for (
    const headers of [new Headers(), new Headers({ authorization: `Basic ${btoa("ann:no")}` })]
  ) {
    const [step] = basicAuthAnswer(headers, REQUIRED)!;
    assert.equal(step?.kind, "write");
    const data = (step as { data: string }).data;
    assert.match(data, /^HTTP\/1\.1 401 /);
    assert.match(data, /\r\nWWW-Authenticate: Basic realm="Staging"\r\n/);
  }
  const right = new Headers({ authorization: `Basic ${btoa("ann:pw")}` });
  assert.equal(basicAuthAnswer(right, REQUIRED), null);
  assert.equal(basicAuthAnswer(new Headers(), null), null, "no auth asked, none needed");
});

Deno.test("basic auth: the emulator answers start_session only with the credentials", async () => {
  await using site = await AiEngineEmulator.start({ nonce: "55b8d074d1", basicAuth: REQUIRED });
  const url = `${site.restUrl}/mwai/v1/start_session`;
  const refused = await fetch(url, { method: "POST" });
  assert.equal(refused.status, 401);
  await refused.body?.cancel();
  const authorization = `Basic ${btoa("ann:pw")}`;
  const letIn = await fetch(url, { method: "POST", headers: { authorization } });
  assert.equal((await letIn.json()).restNonce, "55b8d074d1");
  assert.equal(site.sessionsStarted, 1);
});
