/**
 * The AI SDK's own chat transports, as `useChat` runs them (without React): the default
 * one against `/api/ui-chat`, the text one against `/api/chat`, over real HTTP.
 */
import assert from "node:assert/strict";
import {
  DefaultChatTransport,
  readUIMessageStream,
  TextStreamChatTransport,
  type UIMessage,
  type UIMessageChunk,
} from "ai";
import { startGateway } from "../contract/gateway.ts";
import { ANSWER } from "../contract/http_client.ts";
import { transports } from "./snippets/use_chat.ts";

const ask = (text: string): Parameters<DefaultChatTransport<UIMessage>["sendMessages"]>[0] => ({
  trigger: "submit-message",
  chatId: "chat-1",
  messageId: undefined,
  messages: [{ id: "u1", role: "user", parts: [{ type: "text", text }] }],
  abortSignal: undefined,
});

/** The last UIMessage `useChat` would show, built by the SDK from the stream. */
async function lastMessage(stream: ReadableStream<UIMessageChunk>): Promise<UIMessage> {
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream, terminateOnError: true })) {
    last = message;
  }
  assert.ok(last, "no message");
  return last;
}

const textOf = (message: UIMessage) =>
  message.parts.map((part) => part.type === "text" ? part.text : "").join("");

Deno.test("the AI SDK's chat transports against the gateway", async (t) => {
  await using gw = await startGateway({ API_KEYS: "k", UPSTREAM_TIMEOUT_MS: "2000" });
  const headers = { authorization: "Bearer k" };
  // The snippet of docs/clients.md:
  const transport = new DefaultChatTransport({ api: `${gw.base}/api/ui-chat`, headers });

  await t.step("DefaultChatTransport reads /api/ui-chat as useChat does", async () => {
    const message = await lastMessage(await transport.sendMessages(ask("Hello")));
    assert.equal(message.role, "assistant");
    assert.equal(textOf(message), ANSWER);
    assert.deepEqual(message.parts.map((part) => part.type), ["text"]);
    assert.equal((message.parts[0] as { state?: string }).state, "done");
    const submit = gw.site.submits.at(-1)!.body as { newMessage: string };
    assert.equal(submit.newMessage, "Hello");
  });

  await t.step("useChat's image attachment reaches a vision bot as an uploaded file", async () => {
    // What useChat sends for an attached file: a file part with a data URL.
    const png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    const message = await lastMessage(
      await transport.sendMessages({
        ...ask("What is this?"),
        messages: [{
          id: "u2",
          role: "user",
          parts: [
            {
              type: "file",
              mediaType: "image/png",
              filename: "dot.png",
              url: `data:image/png;base64,${png}`,
            },
            { type: "text", text: "What is this?" },
          ],
        }],
      }),
    );
    assert.equal(textOf(message), ANSWER);
    const [id, file] = [...gw.site.files].at(-1)!;
    assert.equal(file.type, "image/png");
    assert.deepEqual(file.bytes, Uint8Array.from(atob(png), (c) => c.charCodeAt(0)));
    const submit = gw.site.submits.at(-1)!;
    assert.equal((submit.body as { newFileId: string }).newFileId, id);
    // The upload is the visitor's own, as the plugin keeps a guest's files.
    const upload = gw.site.requests.filter((r) => r.route === "/mwai-ui/v1/files/upload").at(-1)!;
    assert.equal(upload.headers.get("cookie"), submit.headers.get("cookie"));
    assert.match(upload.headers.get("cookie") ?? "", /^mwai_session_id=edge-[0-9a-f]{24}$/);
  });

  await t.step("the wire is the protocol's: parts, the header, [DONE]", async () => {
    const response = await fetch(`${gw.base}/api/ui-chat`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({
        id: "chat-1",
        messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "Hello" }] }],
        trigger: "submit-message",
      }),
    });
    assert.equal(response.headers.get("x-vercel-ai-ui-message-stream"), "v1");
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const data = (await response.text()).split("\n\n").filter((b) => b.startsWith("data: "))
      .map((b) => b.slice(6));
    assert.equal(data.at(-1), "[DONE]");
    const types = data.slice(0, -1).map((d) => JSON.parse(d).type);
    assert.deepEqual(types.slice(0, 2), ["start", "text-start"]);
    assert.deepEqual(types.slice(-2), ["text-end", "finish"]);
    assert.ok(types.filter((type) => type === "text-delta").length >= 2, "streamed in pieces");
  });

  await t.step("a failure after text is an error part: useChat shows its message", async () => {
    const stream = await transport.sendMessages(ask("Hello __fake:cut"));
    await assert.rejects(lastMessage(stream), /transfer closed with outstanding read data/);
  });

  await t.step("a failure before text is the JSON error with its status", async () => {
    await assert.rejects(
      transport.sendMessages(ask("Hello __fake:429")),
      (error: Error & { statusCode?: number }) =>
        error.statusCode === 429 && /rate_limit_exceeded/.test(error.message),
    );
    const keyless = new DefaultChatTransport({ api: `${gw.base}/api/ui-chat` });
    await assert.rejects(
      keyless.sendMessages(ask("Hello")),
      (error: Error & { statusCode?: number }) => error.statusCode === 401,
    );
  });

  await t.step("the conversation's earlier turns reach the site as history", async () => {
    const options = ask("And now?");
    options.messages = [
      { id: "u0", role: "user", parts: [{ type: "text", text: "Hi" }] },
      {
        id: "a0",
        role: "assistant",
        parts: [{ type: "step-start" }, { type: "text", text: "Hello!", state: "done" }],
      },
      ...options.messages,
    ];
    await lastMessage(await transport.sendMessages(options));
    const submit = gw.site.submits.at(-1)!.body as { messages: unknown[]; newMessage: string };
    assert.equal(submit.newMessage, "And now?");
    assert.equal(submit.messages.length, 2);
  });

  await t.step("TextStreamChatTransport reads /api/chat", async () => {
    const text = new TextStreamChatTransport({ api: `${gw.base}/api/chat`, headers });
    const message = await lastMessage(await text.sendMessages(ask("Hello")));
    assert.equal(textOf(message), ANSWER);
  });

  await t.step("the transports of docs/clients.md's useChat snippet both work", async () => {
    const { uiMessages, text } = transports(gw.base, "k");
    for (const chosen of [uiMessages, text]) {
      assert.equal(textOf(await lastMessage(await chosen.sendMessages(ask("Hello")))), ANSWER);
    }
  });
});
