import assert from "node:assert/strict";
import { AiEngineEmulator } from "../emulator/ai_engine_emulator.ts";
import { ForwardProxy } from "./forward_proxy.ts";

Deno.test("an absolute-form request is forwarded in origin form and recorded", async () => {
  await using site = await AiEngineEmulator.start({ nonce: "55b8d074d1" });
  await using proxy = ForwardProxy.start();
  using client = Deno.createHttpClient({ proxy: { url: proxy.url } });
  const url = `${site.restUrl}/mwai/v1/start_session`;
  const response = await fetch(url, { method: "POST", client });
  assert.equal((await response.json()).restNonce, "55b8d074d1");
  assert.deepEqual(proxy.seen, [{ method: "POST", target: url }]);
  assert.equal(site.requests[0]!.path, "/wp-json/mwai/v1/start_session");
  assert.equal(site.requests[0]!.headers.get("proxy-connection"), null);
});

Deno.test("CONNECT opens a tunnel that carries the bytes both ways", async () => {
  await using site = await AiEngineEmulator.start({ nonce: "55b8d074d1" });
  await using proxy = ForwardProxy.start();
  const { hostname, port } = new URL(proxy.url);
  using conn = await Deno.connect({ hostname, port: Number(port) });
  const host = new URL(site.url).host;
  const write = (text: string) => conn.write(new TextEncoder().encode(text));
  await write(`CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  const established = new Uint8Array(1024);
  const n = await conn.read(established);
  assert.match(new TextDecoder().decode(established.subarray(0, n ?? 0)), /^HTTP\/1\.1 200 /);
  await write(
    `POST /wp-json/mwai/v1/start_session HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\n\r\n`,
  );
  let answer = "";
  for await (const text of conn.readable.pipeThrough(new TextDecoderStream())) answer += text;
  assert.match(answer, /^HTTP\/1\.1 200 /);
  assert.match(answer, /"restNonce":"55b8d074d1"/);
  assert.deepEqual(proxy.seen, [{ method: "CONNECT", target: host }]);
});
