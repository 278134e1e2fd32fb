/**
 * The `end` event's reply is the site's final word (issue 14): an answer given only in
 * `end` (an images bot) streams as its reply on every face; a reply filter that
 * continues the streamed text has its rest sent before the finish; one that rewrites it
 * leaves the stream as it was sent, is answered by the non-streamed faces, and is noted
 * as `reply_differs` in the log line.
 */
import assert from "node:assert/strict";
import type { EmulatorOptions } from "../emulator/ai_engine_emulator.ts";
import { startGateway, waitForLog } from "./gateway.ts";
import { ANSWER, post, sseData } from "./http_client.ts";

const USER = [{ role: "user", content: "Hello" }];

/** One face of the gateway: how to ask it, and the answer text it gives. */
interface Face {
  name: string;
  /** Whether the face streams the text as it comes (else it answers `end.reply`). */
  streamed: boolean;
  ask(base: string): Promise<string>;
}

const FACES: Face[] = [
  {
    name: "/api/chat",
    streamed: true,
    ask: async (base) => await ok(await post(base, "/api/chat", { message: "Hello" })).text(),
  },
  {
    name: "/api/ui-chat",
    streamed: true,
    ask: async (base) => {
      const body = {
        id: "chat-1",
        messages: [{ role: "user", parts: [{ type: "text", text: "Hello" }] }],
      };
      const events = sseData(await ok(await post(base, "/api/ui-chat", body)).text());
      assert.equal(events.at(-1), "[DONE]");
      return events.slice(0, -1).map((data) => JSON.parse(data))
        .filter((part) => part.type === "text-delta").map((part) => part.delta).join("");
    },
  },
  {
    name: "/v1/chat/completions, streamed",
    streamed: true,
    ask: async (base) => {
      const body = { model: "default", stream: true, messages: USER };
      const events = sseData(await ok(await post(base, "/v1/chat/completions", body)).text());
      assert.equal(events.at(-1), "[DONE]");
      const chunks = events.slice(0, -1).map((data) => JSON.parse(data));
      assert.equal(chunks.at(-1).choices[0].finish_reason, "stop");
      return chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("");
    },
  },
  {
    name: "/v1/chat/completions, stream: false",
    streamed: false,
    ask: async (base) => {
      const body = { model: "default", messages: USER };
      const completion = await ok(await post(base, "/v1/chat/completions", body)).json();
      return completion.choices[0].message.content;
    },
  },
  {
    name: "/api/webhook",
    streamed: false,
    ask: async (base) =>
      (await ok(await post(base, "/api/webhook", { message: "Hello" })).json()).reply,
  },
];

function ok(response: Response): Response {
  assert.equal(response.status, 200);
  return response;
}

const IMAGE = "https://example.com/wp-content/uploads/2025/01/x.png";
const CITED = `${ANSWER}\n\n[1] https://example.com/source`;
const REWRITTEN = "A reply filter said this instead.";

Deno.test("the end event's reply on every face", async (t) => {
  await using gw = await startGateway();
  const playing = (options: EmulatorOptions, fn: () => Promise<void>) =>
    gw.site.playing(options, fn);
  // Each step asks once: the line of its answer is the first request line after those
  // written before it (a child gateway's own health checks among them).
  const requestLines = (lines: Record<string, unknown>[]) =>
    lines.filter((line) => "route" in line);
  let before = 0;
  const ask = async (face: Face) => {
    before = requestLines(await gw.logs()).length;
    return await face.ask(gw.base);
  };
  const lastLog = () =>
    waitForLog(gw, (lines) => requestLines(lines)[before], "line of the answer");

  for (const face of FACES) {
    await t.step(
      `${face.name}: an images bot's answer, only in end, is its reply`,
      () =>
        playing({ images: [IMAGE] }, async () => {
          assert.equal(await ask(face), `![Image](${IMAGE})\n`);
          assert.equal((await lastLog()).reply_differs, undefined);
        }),
    );

    await t.step(
      `${face.name}: a reply filter's citations come after the streamed text`,
      () =>
        playing(
          { replyFilter: (reply) => `${reply}\n\n[1] https://example.com/source` },
          async () => {
            assert.equal(await ask(face), CITED);
            assert.equal((await lastLog()).reply_differs, undefined);
          },
        ),
    );

    await t.step(
      `${face.name}: a rewritten reply ${
        face.streamed ? "leaves the stream as sent" : "is the answer"
      }, and the log says reply_differs`,
      () =>
        playing({ replyFilter: () => REWRITTEN }, async () => {
          assert.equal(await ask(face), face.streamed ? ANSWER : REWRITTEN);
          assert.equal((await lastLog()).reply_differs, true);
        }),
    );
  }
});
