import assert from "node:assert/strict";
import { sessionForSite } from "../lib/session_for_site.ts";

/** A fetch that records where it was asked and answers start_session with `nonce`. */
function recording(nonce: string) {
  const asked: { url: string; headers: Headers }[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    asked.push({ url: String(input), headers: new Headers(init?.headers) });
    return Promise.resolve(Response.json({ success: true, restNonce: nonce }));
  };
  return { fetch, asked };
}

Deno.test("calls to one site without a fetch of their own share one session", () => {
  const one = sessionForSite({ site: "https://shared.example" });
  const two = sessionForSite({ site: "https://shared.example" });
  assert.equal(two.session, one.session);
  assert.notEqual(sessionForSite({ site: "https://other.example" }).session, one.session);
});

Deno.test("the REST root is the site's /wp-json unless given", () => {
  assert.equal(sessionForSite({ site: "https://a.example" }).restUrl, "https://a.example/wp-json");
  const given = sessionForSite({ restUrl: "https://b.example/?rest_route=" });
  assert.equal(given.restUrl, "https://b.example/?rest_route=");
});

Deno.test("a call with its own fetch gets a session of its own, which reaches the site by it", async () => {
  const { fetch, asked } = recording("n-own");
  const own = sessionForSite({ site: "https://ann:pw@own.example", fetch });
  assert.notEqual(
    sessionForSite({ site: "https://ann:pw@own.example", fetch }).session,
    own.session,
  );
  assert.equal(await own.session.nonce(), "n-own");
  assert.equal(asked[0]!.url, "https://own.example/wp-json/mwai/v1/start_session");
  assert.equal(asked[0]!.headers.get("authorization"), `Basic ${btoa("ann:pw")}`);
});

Deno.test("a session given is used as it is", () => {
  const { session } = sessionForSite({ site: "https://given.example" });
  assert.equal(sessionForSite({ site: "https://elsewhere.example", session }).session, session);
});
