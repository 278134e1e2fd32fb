import assert from "node:assert/strict";
import { connect } from "../../lib/http/cloudflare_sockets.ts";

Deno.test("cloudflare:sockets outside Workers refuses to connect, saying where it exists", () => {
  assert.throws(
    () => connect({ hostname: "127.0.0.1", port: 80 }),
    (error) => {
      assert.ok(error instanceof TypeError);
      assert.equal(error.message, "cloudflare:sockets is only available on Cloudflare Workers");
      return true;
    },
  );
});
