import assert from "node:assert/strict";
import { UnsupportedContentEncoding } from "../../lib/http/content_decoding.ts";
import { fetchClient, type UpstreamRequest } from "../../lib/http/upstream_client.ts";
import { LoopbackServer } from "../support/loopback_server.ts";

/** A fetch double that records what it was asked and answers `response`. */
function recordingFetch(response: () => Response) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetcher: typeof fetch = (input, init) => {
    calls.push({ url: String(input), init });
    return Promise.resolve(response());
  };
  return { fetcher, calls };
}

async function textOf(body: { read(): Promise<Uint8Array | null> }): Promise<string> {
  const utf8 = new TextDecoder();
  let text = "";
  for (let bytes = await body.read(); bytes !== null; bytes = await body.read()) {
    text += utf8.decode(bytes, { stream: true });
  }
  return text + utf8.decode();
}

Deno.test("fetchClient: it passes the method, headers, body and signal to fetch, and never follows a redirect", async () => {
  const { fetcher, calls } = recordingFetch(() => new Response("ok"));
  const signal = new AbortController().signal;
  const request: UpstreamRequest = {
    method: "POST",
    headers: { "content-type": "application/json", "x-wp-nonce": "abc" },
    body: '{"newMessage":"Hi"}',
    signal,
  };
  await fetchClient(fetcher)("https://site.example/wp-json/mwai-ui/v1/chats/submit", request);
  assert.equal(calls.length, 1);
  const { url, init } = calls[0]!;
  assert.equal(url, "https://site.example/wp-json/mwai-ui/v1/chats/submit");
  assert.equal(init?.method, "POST");
  assert.deepEqual(init?.headers, request.headers);
  assert.equal(init?.body, request.body);
  assert.equal(init?.signal, signal);
  assert.equal(init?.redirect, "manual");
});

Deno.test("fetchClient: the answer's status, headers and body come through", async () => {
  const { fetcher } = recordingFetch(() =>
    new Response("Привет 👋", { status: 201, headers: { "x-wp-nonce": "fresh" } })
  );
  const response = await fetchClient(fetcher)("https://site.example/", {
    method: "GET",
    headers: {},
  });
  assert.equal(response.status, 201);
  assert.equal(response.headers.get("x-wp-nonce"), "fresh");
  assert.equal(await textOf(response.body), "Привет 👋");
});

Deno.test("fetchClient: an answer without a body has a body that has ended", async () => {
  for (const status of [204, 304]) {
    const { fetcher } = recordingFetch(() => new Response(null, { status }));
    const response = await fetchClient(fetcher)("https://site.example/", {
      method: "GET",
      headers: {},
    });
    assert.equal(response.status, status);
    assert.equal(await response.body.read(), null);
    await response.body.cancel();
  }
});

Deno.test("fetchClient: over the real fetch a redirect is answered as it is, its Location never visited", async () => {
  const visited: string[] = [];
  await using server = Deno.serve({ port: 0, onListen() {} }, (request) => {
    const path = new URL(request.url).pathname;
    visited.push(path);
    return path === "/submit"
      ? new Response("moved", { status: 302, headers: { location: "/elsewhere" } })
      : new Response("followed");
  });
  const client = fetchClient((input, init) => fetch(input, init));
  const response = await client(`http://127.0.0.1:${server.addr.port}/submit`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(response.status, 302);
  assert.equal(response.headers.get("location"), "/elsewhere");
  await response.body.cancel();
  assert.deepEqual(visited, ["/submit"]);
});

Deno.test("fetchClient: aborting the signal aborts the reading of the body", async () => {
  const controller = new AbortController();
  await using server = Deno.serve({ port: 0, onListen() {} }, () =>
    new Response(
      new ReadableStream({
        start(stream) {
          stream.enqueue(new TextEncoder().encode("data: first\n\n"));
          // ...and nothing more until the client goes.
        },
      }),
    ));
  const response = await fetchClient((input, init) => fetch(input, init))(
    `http://127.0.0.1:${server.addr.port}/`,
    { method: "GET", headers: {}, signal: controller.signal },
  );
  assert.equal(new TextDecoder().decode((await response.body.read())!), "data: first\n\n");
  const waiting = response.body.read();
  controller.abort();
  await assert.rejects(
    waiting,
    (error) => error instanceof DOMException && error.name === "AbortError",
  );
});

/** An error as workerd's fetch throws it for a connection lost before any answer. */
function lostConnection(retryable: boolean): Error {
  return Object.assign(new Error("Network connection lost."), { retryable });
}

Deno.test("fetchClient: a failure the runtime marks retryable is tried once more, and only once", async () => {
  let calls = 0;
  const failingOnce: typeof fetch = () =>
    ++calls === 1 ? Promise.reject(lostConnection(true)) : Promise.resolve(new Response("ok"));
  const response = await fetchClient(failingOnce)("https://site.example/", {
    method: "POST",
    headers: {},
    body: "{}",
  });
  assert.equal(await textOf(response.body), "ok");
  assert.equal(calls, 2);

  calls = 0;
  const failingAlways: typeof fetch = () => (calls++, Promise.reject(lostConnection(true)));
  await assert.rejects(
    fetchClient(failingAlways)("https://site.example/", { method: "GET", headers: {} }),
    /Network connection lost/,
  );
  assert.equal(calls, 2);
});

Deno.test("fetchClient: over Deno's fetch, a site that closes as the request comes is asked once more", async () => {
  let connections = 0;
  const server = new LoopbackServer(async (conn) => {
    const first = ++connections === 1;
    const buffer = new Uint8Array(4096);
    await conn.read(buffer); // the request has come
    if (!first) {
      const answer = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
      await conn.write(new TextEncoder().encode(answer));
    }
    conn.close(); // the first: closed unanswered, as a keep-alive timer does
  });
  try {
    const response = await fetchClient(fetch)(`http://127.0.0.1:${server.port}/submit`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(await textOf(response.body), "ok");
    assert.equal(connections, 2);
  } finally {
    await server.close();
  }
});

Deno.test("fetchClient: any other failure, or one after the caller's abort, is not tried again", async () => {
  let calls = 0;
  const failing: typeof fetch = () => (calls++, Promise.reject(lostConnection(false)));
  await assert.rejects(
    fetchClient(failing)("https://site.example/", { method: "GET", headers: {} }),
  );
  assert.equal(calls, 1);

  calls = 0;
  const controller = new AbortController();
  const abortedThenLost: typeof fetch = () => {
    calls++;
    controller.abort();
    return Promise.reject(lostConnection(true));
  };
  await assert.rejects(
    fetchClient(abortedThenLost)("https://site.example/", {
      method: "GET",
      headers: {},
      signal: controller.signal,
    }),
  );
  assert.equal(calls, 1);
});

Deno.test("fetchClient: an answer in a coding it cannot decode is an UnsupportedContentEncoding", async () => {
  const { fetcher } = recordingFetch(() =>
    new Response("(\xb5/\xfd", { headers: { "content-encoding": "zstd" } })
  );
  await assert.rejects(
    fetchClient(fetcher)("https://site.example/", { method: "GET", headers: {} }),
    (error) => error instanceof UnsupportedContentEncoding && error.encoding === "zstd",
  );
});

Deno.test("fetchClient: a URL with credentials is refused before fetch, without a word of them", async () => {
  const { fetcher, calls } = recordingFetch(() => new Response("ok"));
  for (const url of ["https://user:s3cret@site.example/", "https://user:s3cret@site example/"]) {
    await assert.rejects(
      fetchClient(fetcher)(url, { method: "GET", headers: {} }),
      (error) => error instanceof TypeError && !/user|s3cret/.test(String(error)),
    );
  }
  assert.equal(calls.length, 0);
});
