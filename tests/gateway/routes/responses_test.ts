import assert from "node:assert/strict";
import { appOverSite } from "../../support/app_over_site.ts";
import { assertError } from "../../contract/http_client.ts";

Deno.test("an item_reference to another key's answer is not found, as its response id is", async () => {
  await using gw = await appOverSite({ API_KEYS: "key-a,key-b" });
  const asKey = (key: string) => ({ authorization: `Bearer ${key}` });
  const first = await (await gw.post("/v1/responses", { input: "Hi" }, asKey("key-a"))).json();
  const reference = { type: "item_reference", id: first.output[0].id };
  const input = [reference, { role: "user", content: "Say it again" }];
  const error = await assertError(
    await gw.post("/v1/responses", { input }, asKey("key-b")),
    400,
    "item_not_found",
  );
  assert.equal(error.param, "input[0].id");
  assert.equal(gw.site.submits.length, 1);
  const own = await gw.post("/v1/responses", { input }, asKey("key-a"));
  assert.equal(own.status, 200);
  await own.body?.cancel();
});
