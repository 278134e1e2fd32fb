import assert from "node:assert/strict";
import { RELEASED_AT } from "../../../lib/version.ts";
import { appOverSite } from "../../support/app_over_site.ts";
import { assertError } from "../../contract/http_client.ts";

const BOTS = { AI_ENGINE_BOTS: "default,team/support,help=sales" };

Deno.test("the list is the bots of AI_ENGINE_BOTS as models, in their order", async () => {
  await using gw = await appOverSite(BOTS);
  const list = await (await gw.app.request("/v1/models")).json();
  assert.equal(list.object, "list");
  assert.deepEqual(list.data.map((model: { id: string }) => model.id), [
    "default",
    "team/support",
    "help",
  ]);
});

Deno.test("every model the list names can be retrieved, as the same object", async () => {
  await using gw = await appOverSite(BOTS);
  const list = await (await gw.app.request("/v1/models")).json();
  for (const model of list.data) {
    const response = await gw.app.request(`/v1/models/${encodeURIComponent(model.id)}`);
    assert.deepEqual(await response.json(), model);
  }
  assert.equal(list.data[0].created, RELEASED_AT);
});

Deno.test("the alias of the default bot can be retrieved; a name of no bot is 404 naming model", async () => {
  await using gw = await appOverSite(BOTS);
  const alias = await (await gw.app.request("/v1/models/gpt-3.5-turbo")).json();
  assert.deepEqual([alias.id, alias.object], ["gpt-3.5-turbo", "model"]);
  const error = await assertError(await gw.app.request("/v1/models/sales"), 404, "model_not_found");
  assert.equal(error.param, "model");
  assert.equal(gw.site.requests.length, 0, "models are the gateway's own: the site is not asked");
});
