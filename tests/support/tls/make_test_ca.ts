/**
 * Makes the test CA and its leaf in a folder, before the runtimes that must trust it start
 * (Deno reads `DENO_CERT` once, at start; wrangler hands `NODE_EXTRA_CA_CERTS` to workerd's
 * network service when it starts): `deno run make_test_ca.ts <dir>`. `deno task test:tls`
 * runs it.
 *
 * @module
 */
import { makeCertificates } from "./test_ca.ts";

if (import.meta.main) {
  const dir = Deno.args[0];
  if (!dir) throw new Error("Usage: make_test_ca.ts <dir>");
  await Deno.mkdir(dir, { recursive: true });
  const { caFile } = await makeCertificates(dir);
  console.log(`test CA: ${caFile}`);
}
