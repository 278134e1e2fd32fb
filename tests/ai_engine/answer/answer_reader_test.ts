import assert from "node:assert/strict";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import { EventAnswerReader, wholeAnswer } from "../../../lib/ai_engine/answer/answer_reader.ts";
import { bytesOf } from "../../../lib/streams/byte_source.ts";
import { byteCuts } from "../../support/chunking.ts";
import { sourceOf, spied, utf8 } from "../../support/byte_sources.ts";
import { ANSWER, recordedStreams } from "../../support/recorded_answers.ts";
import { readAll } from "../../support/answer_readers.ts";

function typeOf(error: unknown): string | undefined {
  return error instanceof AiEngineError ? error.type : error === undefined ? undefined : "other";
}

const live = (text: string) => `data: ${JSON.stringify({ type: "live", data: text })}\n\n`;
const end = (reply: string) =>
  `data: ${JSON.stringify({ type: "end", data: JSON.stringify({ success: true, reply }) })}\n\n`;

/** The pieces of one byte cut. */
function piecesOf(cut: { stream(): ReadableStream<Uint8Array> }): Promise<Uint8Array[]> {
  return Array.fromAsync(cut.stream());
}

for (const recorded of recordedStreams()) {
  const expected = recorded.expected;
  Deno.test(`EventAnswerReader: ${recorded.name} gives its answer or failure over reads cut whole, at random and byte by byte`, async () => {
    for (const cut of byteCuts(recorded.body)) {
      const { source, record } = spied(bytesOf(await piecesOf(cut)));
      const { chunks, text, error } = await readAll(new EventAnswerReader(source));
      assert.equal(text, expected.text, cut.label);
      assert.ok(chunks.every((chunk) => chunk.text !== "" || chunk.finish), cut.label);
      if (expected.kind === "answer") {
        assert.equal(error, undefined, `${cut.label}: ${error}`);
        assert.equal(chunks.at(-1)?.finish?.reply, expected.reply, cut.label);
        assert.equal(chunks.filter((chunk) => chunk.finish).length, 1, cut.label);
      } else {
        assert.equal(typeOf(error), expected.type, `${cut.label}: ${error}`);
        assert.ok(chunks.every((chunk) => !chunk.finish), cut.label);
      }
      await record.released;
      assert.equal(record.cancels + record.ends, 1, `${cut.label}: the source is let go once`);
    }
  });
}

Deno.test("EventAnswerReader: one chunk per read that brought text; reads that bring none are skipped", async () => {
  const reads = [
    'data: {"type":"live","data":"Hel"}',
    "\n\n",
    ": ping\n\n",
    'data: {"type":"live","data":"…","subtype":"status"}\n\n',
    live("lo"),
    end("Hello"),
  ].map(utf8);
  const { source, record } = spied(bytesOf(reads));
  const reader = new EventAnswerReader(source);
  assert.deepEqual(await reader.read(), { text: "Hel", finish: null });
  assert.equal(record.reads, 2, "the blank line that ends the event brought the text");
  assert.deepEqual(await reader.read(), { text: "lo", finish: null });
  assert.equal(record.reads, 5, "the comment and the event log were read on");
  const last = await reader.read();
  assert.deepEqual(last, {
    text: "",
    finish: { type: "finish", reply: "Hello", usage: null, newToken: null },
  });
  assert.equal(await reader.read(), null);
  assert.equal(await reader.read(), null, "and again null");
  await record.released;
  assert.equal(record.reads, 7, "and one more, past the finish, that found the end");
});

Deno.test("EventAnswerReader: a recorded answer read event by event streams as it comes, one chunk per text event", async () => {
  const recorded = recordedStreams().find((s) => s.name === "d4-submit-stream-event_logs-on.txt");
  assert.ok(recorded);
  const events = new TextDecoder().decode(recorded.body).split(/(?<=\n\n)/);
  const { chunks, text, error } = await readAll(new EventAnswerReader(bytesOf(events.map(utf8))));
  assert.equal(error, undefined, String(error));
  assert.equal(text, ANSWER);
  const texts = events.flatMap((event) => {
    const data = event.startsWith("data: ") ? JSON.parse(event.slice(6)) : null;
    return data?.type === "live" && (data.subtype ?? "content") === "content" ? [data.data] : [];
  });
  assert.ok(texts.length >= 7, "the recording streams its answer in pieces");
  assert.deepEqual(chunks.filter((chunk) => chunk.text !== "").map((chunk) => chunk.text), texts);
});

Deno.test("EventAnswerReader: it reads no more of the source than the next chunk needs", async () => {
  const { source, record } = spied(
    bytesOf([live("a"), live("b"), live("c"), end("abc")].map(utf8)),
  );
  const reader = new EventAnswerReader(source);
  await reader.read();
  assert.equal(record.reads, 1);
  await reader.read();
  assert.equal(record.reads, 2);
});

Deno.test("EventAnswerReader: the head bytes are read first, then the source", async () => {
  const body = utf8(live("Hel") + live("lo") + end("Hello"));
  for (const at of [1, 10, 40, body.length - 1]) {
    const { source, record } = spied(bytesOf([body.subarray(at)]));
    const { text, chunks, error } = await readAll(
      new EventAnswerReader(source, body.subarray(0, at)),
    );
    assert.equal(error, undefined, `head of ${at} bytes: ${error}`);
    assert.equal(text, "Hello", `head of ${at} bytes`);
    assert.equal(chunks.at(-1)?.finish?.reply, "Hello");
    await record.released;
    assert.equal(record.reads, 2, "the source after the head, then its end");
  }
});

Deno.test("EventAnswerReader: UTF-8 split across reads decodes whole, byte by byte included", async () => {
  const text = "Привет, мир! 👋 — ok";
  const body = utf8(live(text) + end(text));
  for (const cut of byteCuts(body)) {
    const { chunks, text: got, error } = await readAll(
      new EventAnswerReader(bytesOf(await piecesOf(cut))),
    );
    assert.equal(error, undefined, `${cut.label}: ${error}`);
    assert.equal(got, text, cut.label);
    assert.ok(chunks.every((chunk) => !chunk.text.includes("\uFFFD")), cut.label);
  }
});

Deno.test("EventAnswerReader: an emoji split across two live events comes out whole, never a lone surrogate, in any cut", async () => {
  const body = utf8(live("Hi \ud83d") + live("\udc4b there") + end("Hi 👋 there"));
  for (const cut of byteCuts(body)) {
    const { chunks, text, error } = await readAll(
      new EventAnswerReader(bytesOf(await piecesOf(cut))),
    );
    assert.equal(error, undefined, `${cut.label}: ${error}`);
    assert.equal(text, "Hi 👋 there", cut.label);
    for (const chunk of chunks) {
      assert.ok(chunk.text.isWellFormed(), `${cut.label}: ${JSON.stringify(chunk.text)}`);
    }
  }
});

Deno.test("EventAnswerReader: cancelling it cancels the source with the same reason, and it reads no more", async () => {
  const { source, record } = spied(bytesOf([live("a"), live("b"), end("ab")].map(utf8)));
  const reader = new EventAnswerReader(source);
  assert.equal((await reader.read())?.text, "a");
  const why = new Error("Client went away");
  await reader.cancel(why);
  assert.equal(record.cancelledWith, why);
  assert.equal(await reader.read(), null);
  await reader.cancel(new Error("Twice"));
  assert.equal(record.cancels, 1, "cancelled once");
  assert.equal(record.reads, 1);
});

Deno.test("EventAnswerReader: once the finish came, the rest of the source is read and dropped, so its connection is kept", async () => {
  const { source, record } = spied(bytesOf([live("a") + end("a"), live("more")].map(utf8)));
  const reader = new EventAnswerReader(source);
  assert.equal((await reader.read())?.finish?.reply, "a");
  assert.equal(await reader.read(), null, "nothing past the finish is given");
  await record.released;
  assert.deepEqual([record.reads, record.ends, record.cancels], [3, 1, 0]);
});

Deno.test("EventAnswerReader: a source that does not end after the finish is cancelled soon", async () => {
  let cancelled = false;
  const hanging = {
    read: () => cancelled ? Promise.resolve(null) : new Promise<null>(() => {}),
    cancel: () => (cancelled = true, Promise.resolve()),
  };
  const { source, record } = spied(bytesOf([utf8(live("a") + end("a"))]));
  let first = true;
  const reader = new EventAnswerReader({
    read: () => first ? (first = false, source.read()) : hanging.read(),
    cancel: (reason) => (hanging.cancel(), source.cancel(reason)),
  });
  assert.equal((await reader.read())?.finish?.reply, "a");
  await record.released;
  assert.equal(record.cancels, 1);
});

Deno.test("EventAnswerReader: the source is cancelled with the failure when the answer fails", async () => {
  const { source, record } = spied(
    bytesOf([live("Hel"), 'data: {"type":"error","data":"Too Many Requests"}\n\n'].map(utf8)),
  );
  const reader = new EventAnswerReader(source);
  assert.equal((await reader.read())?.text, "Hel");
  const error = await reader.read().then(() => null, (error: unknown) => error);
  assert.equal(typeOf(error), "rate_limited");
  assert.equal(record.cancelledWith, error);
  assert.equal(await reader.read(), null, "a failed reader is over");
});

Deno.test("EventAnswerReader: a failure after text in the same read gives the text, then rejects and cancels the source", async () => {
  const { source, record } = spied(bytesOf([utf8(live("Hel") + "data: {not json\n\n")]));
  const reader = new EventAnswerReader(source);
  assert.deepEqual(await reader.read(), { text: "Hel", finish: null });
  assert.equal(record.cancels, 0, "not before the failure is read");
  const error = await reader.read().then(() => null, (error: unknown) => error);
  assert.equal(typeOf(error), "malformed");
  assert.equal(record.cancelledWith, error);
  assert.equal(record.reads, 1, "the held failure is thrown without reading on");
});

Deno.test("EventAnswerReader: a body that ends without the end event rejects as truncated", async () => {
  const { source, record } = spied(bytesOf([utf8(live("Hi"))]));
  const { text, error } = await readAll(new EventAnswerReader(source));
  assert.equal(text, "Hi");
  assert.equal(typeOf(error), "truncated");
  assert.equal(record.cancelledWith, error);
});

Deno.test("EventAnswerReader: a read of the source that fails surfaces as the same error, after the text before it", async () => {
  const boom = new Error("Connection reset");
  const { source, record } = spied(sourceOf([utf8(live("a"))], { error: boom }));
  const { text, error } = await readAll(new EventAnswerReader(source));
  assert.equal(text, "a");
  assert.equal(error, boom);
  assert.equal(record.cancelledWith, boom);
});

Deno.test("EventAnswerReader: an endless line from a hostile upstream fails too_large and cancels the source", async () => {
  let reads = 0;
  const { source, record } = spied({
    read: () => Promise.resolve(utf8(reads++ === 0 ? "data: " : "aaaaaaaaaa")),
    cancel: () => Promise.resolve(),
  });
  const error = await new EventAnswerReader(source, null, { maxEventChars: 100 }).read()
    .then(() => null, (error: unknown) => error);
  assert.equal(typeOf(error), "too_large");
  assert.equal(record.cancelledWith, error, "the source is cancelled with the same error");
  assert.ok(reads < 30, `read ${reads} chunks of 10 characters for a cap of 100`);
});

Deno.test("EventAnswerReader: garbage after the end in the same read still finishes the answer", async () => {
  for (const tail of ["data: {not json\n\n", `data: ${"x".repeat(500)}`, "\u0000garbage\n\n"]) {
    const body = utf8(live("Hel") + live("lo") + end("Hello") + tail);
    for (const cut of byteCuts(body, { oneByOne: false })) {
      const { text, chunks, error } = await readAll(
        new EventAnswerReader(bytesOf(await piecesOf(cut)), null, { maxEventChars: 100 }),
      );
      assert.equal(error, undefined, `${JSON.stringify(tail)}, ${cut.label}: ${error}`);
      assert.equal(text, "Hello");
      assert.equal(chunks.at(-1)?.finish?.reply, "Hello");
    }
  }
});

Deno.test("EventAnswerReader: the counter counts the events read and onEnd gets the end", async () => {
  const counter = { events: 0 };
  const tokens: (string | null)[] = [];
  const body = utf8(
    live("Hi") +
      `data: ${
        JSON.stringify({ type: "end", data: '{"success":true,"reply":"Hi","new_token":"n1"}' })
      }\n\n`,
  );
  const { text } = await readAll(
    new EventAnswerReader(bytesOf([body]), null, {
      counter,
      onEnd: (end) => tokens.push(end.newToken),
    }),
  );
  assert.equal(text, "Hi");
  assert.equal(counter.events, 2);
  assert.deepEqual(tokens, ["n1"]);
});

Deno.test("EventAnswerReader: the recorded answer cut short fails as truncated over any reads", async () => {
  const recorded = recordedStreams().find((stream) => stream.name === "d-submit-stream.txt");
  assert.ok(recorded);
  const text = new TextDecoder().decode(recorded.body);
  const cutShort = utf8(text.slice(0, text.indexOf('data: {"type":"end"')));
  for (const cut of byteCuts(cutShort)) {
    const outcome = await readAll(new EventAnswerReader(bytesOf(await piecesOf(cut))));
    assert.equal(outcome.text, ANSWER, cut.label);
    assert.equal(typeOf(outcome.error), "truncated", cut.label);
  }
});

Deno.test("wholeAnswer: it gives its one chunk, then the end; cancelled, it gives nothing", async () => {
  const chunk = {
    text: "Hi",
    finish: { type: "finish", reply: "Hi", usage: null, newToken: null },
  } as const;
  const reader = wholeAnswer(chunk);
  assert.equal(await reader.read(), chunk);
  assert.equal(await reader.read(), null);
  const cancelled = wholeAnswer(chunk);
  await cancelled.cancel();
  assert.equal(await cancelled.read(), null);
});

Deno.test("EventAnswerReader: onFirstText is called once, when the first text is handed out", async () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  let calls = 0;
  const reader = new EventAnswerReader(
    bytesOf([
      encode('data: {"type":"live","data":"","subtype":"status"}\n\n'),
      encode('data: {"type":"live","data":"Hi"}\n\n'),
      encode('data: {"type":"live","data":" there"}\n\n'),
      encode('data: {"type":"end","data":"{\\"success\\":true,\\"reply\\":\\"Hi there\\"}"}\n\n'),
    ]),
    null,
    { onFirstText: () => calls++ },
  );
  assert.equal(calls, 0, "not before a read");
  assert.equal((await reader.read())?.text, "Hi");
  assert.equal(calls, 1);
  while (await reader.read()) { /* to the end */ }
  assert.equal(calls, 1, "once");
});
