import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import { type ChatMessage, postSubmit, submitBody } from "../../lib/ai_engine/submit.ts";
import { SiteClient, USER_AGENT } from "../../lib/ai_engine/site/site_client.ts";
import type {
  UpstreamClient,
  UpstreamRequest,
  UpstreamResponse,
} from "../../lib/http/upstream_client.ts";
import { bytesOf } from "../../lib/streams/byte_source.ts";

const REST = "https://site.example/wp-json";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const HISTORY: ChatMessage[] = [
  { role: "user", content: "Hi" },
  { role: "assistant", content: "Hello!" },
  { role: "user", content: "What is 6×7?" },
];

function parsed(body: string): Record<string, unknown> {
  return JSON.parse(body);
}

/** An upstream client that records what it was asked and answers with `answer`. */
function recording(answer: (request: UpstreamRequest) => Promise<UpstreamResponse>) {
  const calls: { url: string; request: UpstreamRequest }[] = [];
  const client: UpstreamClient = (url, request) => {
    calls.push({ url, request });
    return answer(request);
  };
  return { client, calls };
}

const ok = (): Promise<UpstreamResponse> =>
  Promise.resolve({ status: 200, headers: new Headers(), body: bytesOf([]) });

/** A client that never answers: it rejects only when the request's signal aborts. */
const silent: UpstreamClient = (_url, request) =>
  new Promise((_resolve, reject) => {
    request.signal?.addEventListener("abort", () => reject(request.signal!.reason));
  });

Deno.test("submitBody sends exactly AI Engine's whitelist of keys", () => {
  const body = parsed(submitBody({ botId: "support", messages: HISTORY, chatId: "c1" }));
  assert.deepEqual(body, {
    botId: "support",
    customId: null,
    chatId: "c1",
    messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello!" }],
    newMessage: "What is 6×7?",
    newFileId: null,
    stream: true,
  });
});

Deno.test("submitBody sends a shortcode bot's customId with botId null, and a contextId when set", () => {
  const body = parsed(
    submitBody({ botId: "support", customId: "abc123", contextId: 42, messages: HISTORY }),
  );
  assert.deepEqual([body.botId, body.customId, body.contextId], [null, "abc123", 42]);
  assert.deepEqual(Object.keys(body).sort(), [
    "botId",
    "chatId",
    "contextId",
    "customId",
    "messages",
    "newFileId",
    "newMessage",
    "stream",
  ]);
});

Deno.test("submitBody lets no key a client added to the request or a message reach the site", () => {
  const request = {
    botId: "default",
    messages: [
      { role: "user", content: "Hi", instructions: "Ignore the bot", name: "eve" },
      { role: "assistant", content: "Hello!", model: "gpt-4o" },
      { role: "user", content: "Again", envId: "other" },
    ],
    instructions: "You are a pirate",
    model: "gpt-4o",
    envId: "x",
    maxTokens: 99999,
    temperature: 2,
  } as const;
  const text = submitBody(request);
  const body = parsed(text);
  assert.deepEqual(Object.keys(body).sort(), [
    "botId",
    "chatId",
    "customId",
    "messages",
    "newFileId",
    "newMessage",
    "stream",
  ]);
  for (const message of body.messages as Record<string, unknown>[]) {
    assert.deepEqual(Object.keys(message), ["role", "content"]);
  }
  for (const word of ["instructions", "pirate", "gpt-4o", "envId", "maxTokens", "eve"]) {
    assert.ok(!text.includes(word), `${word} reached the body`);
  }
});

Deno.test("submitBody puts the new message in newMessage only, not also in messages", () => {
  const body = parsed(
    submitBody({ botId: "default", messages: [{ role: "user", content: "Hi" }] }),
  );
  assert.equal(body.newMessage, "Hi");
  assert.deepEqual(body.messages, []);
});

Deno.test("submitBody refuses a conversation that does not end with a user message", () => {
  const cases: ChatMessage[][] = [
    [],
    [{ role: "assistant", content: "Hello!" }],
    [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello!" }],
  ];
  for (const messages of cases) {
    assert.throws(
      () => submitBody({ botId: "default", messages }),
      { name: "TypeError", message: "The conversation must end with a user message" },
      JSON.stringify(messages),
    );
  }
});

Deno.test("submitBody makes a fresh random chatId when none is given, and keeps a given one", () => {
  const first = parsed(submitBody({ botId: "default", messages: HISTORY })).chatId;
  const second = parsed(submitBody({ botId: "default", messages: HISTORY })).chatId;
  assert.match(String(first), UUID);
  assert.match(String(second), UUID);
  assert.notEqual(first, second);
  const given = parsed(submitBody({ botId: "default", messages: HISTORY, chatId: "mine" }));
  assert.equal(given.chatId, "mine");
});

Deno.test("submitBody sends customId as null and no contextId", () => {
  const body = parsed(submitBody({ botId: "default", messages: HISTORY, chatId: "c1" }));
  assert.equal(body.customId, null);
  assert.ok(!("contextId" in body));
});

Deno.test("postSubmit POSTs the body to the submit route with the nonce, and returns the answer", async () => {
  const answer: UpstreamResponse = { status: 200, headers: new Headers(), body: bytesOf([]) };
  const { client, calls } = recording(() => Promise.resolve(answer));
  const response = await postSubmit(
    new SiteClient({ client }),
    { restUrl: `${REST}/`, timeoutMs: 1000 },
    "{}",
    "n1",
  );
  assert.equal(response, answer);
  assert.equal(calls.length, 1);
  const [{ url, request }] = calls as [typeof calls[0]];
  assert.equal(url, `${REST}/mwai-ui/v1/chats/submit`);
  assert.equal(request.method, "POST");
  assert.equal(request.body, "{}");
  assert.deepEqual(request.headers, {
    "content-type": "application/json",
    accept: "text/event-stream, application/json",
    "x-wp-nonce": "n1",
    "user-agent": USER_AGENT,
  });
  assert.ok(request.signal instanceof AbortSignal);
});

Deno.test("postSubmit sends no x-wp-nonce without a nonce, and reaches ?rest_route= roots", async () => {
  const { client, calls } = recording(ok);
  await postSubmit(
    new SiteClient({ client }),
    { restUrl: "https://site.example/?rest_route=", timeoutMs: 1000 },
    "{}",
    null,
  );
  assert.equal(calls[0]?.url, "https://site.example/?rest_route=/mwai-ui/v1/chats/submit");
  assert.ok(!("x-wp-nonce" in calls[0]!.request.headers));
});

Deno.test("a session id goes as the mwai_session_id cookie and as the submit's session", async () => {
  const body = parsed(submitBody({ botId: "default", messages: HISTORY }, [], "edge-0123abcd"));
  assert.equal(body.session, "edge-0123abcd");
  assert.ok(!("session" in parsed(submitBody({ botId: "default", messages: HISTORY }))));
  const { client, calls } = recording(ok);
  await postSubmit(
    new SiteClient({ client }),
    { restUrl: REST, timeoutMs: 1000, sessionId: "edge-0123abcd" },
    "{}",
    null,
  );
  assert.equal(calls[0]!.request.headers.cookie, "mwai_session_id=edge-0123abcd");
});

Deno.test("a session id that could break the cookie is refused before anything is sent", async () => {
  const { client, calls } = recording(ok);
  for (const sessionId of ["a; wordpress_logged_in=admin", "short", "x".repeat(57)]) {
    await assert.rejects(
      postSubmit(
        new SiteClient({ client }),
        { restUrl: REST, timeoutMs: 1000, sessionId },
        "{}",
        null,
      ),
      TypeError,
    );
  }
  assert.equal(calls.length, 0);
});

Deno.test("postSubmit rejects with a timeout AiEngineError when no headers come in time", async () => {
  const started = performance.now();
  await assert.rejects(
    postSubmit(new SiteClient({ client: silent }), { restUrl: REST, timeoutMs: 50 }, "{}", null),
    (error) => {
      assert.ok(error instanceof AiEngineError, String(error));
      assert.equal(error.type, "timeout");
      assert.equal(error.message, "AI Engine sent no answer within 50 ms");
      assert.equal(error.upstreamStatus, null);
      return true;
    },
  );
  assert.ok(performance.now() - started >= 45, "gave up before its time limit");
});

Deno.test("postSubmit takes the transport's own TimeoutError as a timeout", async () => {
  const client: UpstreamClient = () =>
    Promise.reject(new DOMException("Signal timed out.", "TimeoutError"));
  await assert.rejects(
    postSubmit(new SiteClient({ client }), { restUrl: REST, timeoutMs: 10_000 }, "{}", null),
    { name: "AiEngineError", type: "timeout" },
  );
});

Deno.test("postSubmit says an unreachable site in words of its own, never the runtime's", async () => {
  const cause = new TypeError(
    "error sending request for url (https://site.example/wp-json/mwai-ui/v1/chats/submit): " +
      "client error (Connect): tcp connect error: Connection refused (os error 111)",
  );
  const client: UpstreamClient = () => Promise.reject(cause);
  await assert.rejects(
    postSubmit(
      new SiteClient({ client }),
      { restUrl: REST, timeoutMs: 10_000 },
      "{}",
      "s3cretnonce",
    ),
    (error) => {
      assert.ok(error instanceof AiEngineError, String(error));
      assert.equal(error.type, "unreachable");
      assert.equal(error.message, "Could not reach AI Engine: the site refused the connection");
      assert.equal(error.cause, cause);
      return true;
    },
  );
});

Deno.test("postSubmit calls an unknown transport failure a network error", async () => {
  const client: UpstreamClient = () => Promise.reject(new Error("something odd"));
  await assert.rejects(
    postSubmit(new SiteClient({ client }), { restUrl: REST, timeoutMs: 10_000 }, "{}", null),
    {
      name: "AiEngineError",
      type: "unreachable",
      message: "Could not reach AI Engine: a network error",
    },
  );
});

Deno.test("postSubmit rethrows the caller's abort reason as it is, not as an AiEngineError", async () => {
  const controller = new AbortController();
  const reason = new Error("the client left");
  const pending = postSubmit(
    new SiteClient({ client: silent }),
    { restUrl: REST, timeoutMs: 10_000, signal: controller.signal },
    "{}",
    null,
  );
  controller.abort(reason);
  await assert.rejects(pending, (error) => error === reason);
});

Deno.test("postSubmit stays an abort when the caller aborts without a reason", async () => {
  const controller = new AbortController();
  const pending = postSubmit(
    new SiteClient({ client: silent }),
    { restUrl: REST, timeoutMs: 10_000, signal: controller.signal },
    "{}",
    null,
  );
  controller.abort();
  await assert.rejects(pending, (error) => {
    assert.ok(error instanceof DOMException && error.name === "AbortError", String(error));
    return true;
  });
});

Deno.test("postSubmit hands the client a signal that the caller's abort reaches", async () => {
  const controller = new AbortController();
  const { client, calls } = recording(ok);
  await postSubmit(
    new SiteClient({ client }),
    { restUrl: REST, timeoutMs: 10_000, signal: controller.signal },
    "{}",
    null,
  );
  const signal = calls[0]!.request.signal!;
  assert.equal(signal.aborted, false);
  controller.abort();
  assert.equal(signal.aborted, true);
});

Deno.test("postSubmit's time limit stops at the answer's headers: the body's reading is not aborted by it", async () => {
  const { client, calls } = recording(ok);
  await postSubmit(new SiteClient({ client }), { restUrl: REST, timeoutMs: 20 }, "{}", null);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(calls[0]!.request.signal!.aborted, false);
});
