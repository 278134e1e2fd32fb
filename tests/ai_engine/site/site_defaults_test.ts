import assert from "node:assert/strict";
import {
  restRoute,
  restUrlOf,
  withoutTrailingSlash,
} from "../../../lib/ai_engine/site/site_defaults.ts";

Deno.test("restUrlOf puts WordPress's /wp-json under the site, with one slash however the site ends", () => {
  assert.equal(restUrlOf("https://example.com"), "https://example.com/wp-json");
  assert.equal(restUrlOf("https://example.com/"), "https://example.com/wp-json");
  assert.equal(restUrlOf("https://example.com///"), "https://example.com/wp-json");
});

Deno.test("restUrlOf keeps a site installed in a subfolder in its folder", () => {
  assert.equal(restUrlOf("https://example.com/blog/"), "https://example.com/blog/wp-json");
});

Deno.test("restRoute joins a /wp-json root and a route with one slash", () => {
  const route = "mwai-ui/v1/chats/submit";
  assert.equal(
    restRoute("https://example.com/wp-json", route),
    "https://example.com/wp-json/mwai-ui/v1/chats/submit",
  );
  assert.equal(
    restRoute("https://example.com/wp-json/", route),
    "https://example.com/wp-json/mwai-ui/v1/chats/submit",
  );
});

Deno.test("restRoute puts the route in a ?rest_route= root's query, starting with a slash", () => {
  assert.equal(
    restRoute("https://example.com/?rest_route=", "mwai/v1/start_session"),
    "https://example.com/?rest_route=/mwai/v1/start_session",
  );
  assert.equal(
    restRoute("https://example.com/index.php?rest_route=/", "mwai/v1/start_session"),
    "https://example.com/index.php?rest_route=/mwai/v1/start_session",
  );
  const url = new URL(restRoute("https://example.com/?rest_route=", "mwai-ui/v1/chats/submit"));
  assert.equal(url.pathname, "/");
  assert.equal(url.searchParams.get("rest_route"), "/mwai-ui/v1/chats/submit");
});

Deno.test("withoutTrailingSlash removes every slash at the end, and only there", () => {
  assert.equal(withoutTrailingSlash("https://example.com/a/b//"), "https://example.com/a/b");
  assert.equal(withoutTrailingSlash("https://example.com/a/b"), "https://example.com/a/b");
  assert.equal(withoutTrailingSlash("/"), "");
  assert.equal(withoutTrailingSlash(""), "");
});
