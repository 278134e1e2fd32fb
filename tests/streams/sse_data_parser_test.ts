import assert from "node:assert/strict";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { MAX_EVENT_CHARS, SseDataParser } from "../../lib/streams/sse_data_parser.ts";
import {
  allCuts,
  type Cut,
  type CutOptions,
  type Outcome,
  randomInt,
  randomPoints,
  seededRandom,
  SEEDS,
  sliceAt,
} from "../support/chunking.ts";

type ParserOptions = ConstructorParameters<typeof SseDataParser>[0];

/** Feeds `chunks` to one parser, in order: the data it emitted, and what it threw. */
function feedAll(chunks: Iterable<string>, options: ParserOptions = {}): Outcome<string> {
  const parser = new SseDataParser(options);
  const values: string[] = [];
  try {
    for (const chunk of chunks) parser.feed(chunk, (data) => values.push(data));
    return { values, failed: false };
  } catch (error) {
    return { values, failed: true, error };
  }
}

/** The data of each event in `chunks`; fails the test if the parser throws. */
function dataOf(chunks: Iterable<string>, options: ParserOptions = {}): string[] {
  const outcome = feedAll(chunks, options);
  assert.equal(outcome.failed, false, `failed with ${outcome.error}`);
  return outcome.values;
}

/** The chunks of one cut, read out of its stream (byte cuts come through TextDecoderStream). */
function chunksOf(cut: Cut<string>): Promise<string[]> {
  return Array.fromAsync(cut.stream());
}

/** Asserts that every cut of `input` (text and bytes) yields exactly `expected`. */
async function assertData(
  input: string | Uint8Array,
  expected: string[],
  options: { maxEventChars?: number } & CutOptions = {},
): Promise<void> {
  for (const cut of allCuts(input, options)) {
    const outcome = feedAll(await chunksOf(cut), options);
    assert.equal(outcome.failed, false, `${cut.label}: failed with ${outcome.error}`);
    assert.deepEqual(outcome.values, expected, cut.label);
  }
}

/** Asserts that every cut of `input` throws the default too-large RangeError. */
async function assertTooLarge(
  input: string,
  maxEventChars: number,
  options: CutOptions = {},
): Promise<void> {
  for (const cut of allCuts(input, options)) {
    const outcome = feedAll(await chunksOf(cut), { maxEventChars });
    assert.equal(outcome.failed, true, `${cut.label}: passed with ${outcome.values.length} events`);
    assert.ok(outcome.error instanceof RangeError, `${cut.label}: ${outcome.error}`);
    assert.equal(
      outcome.error.message,
      `Event too large: over ${maxEventChars} characters`,
      cut.label,
    );
  }
}

Deno.test("SseDataParser: a data line split across chunks yields one event", () => {
  assert.deepEqual(dataOf(['data: {"a"', ":1}\r\n", "\r\n: ping\n\n"]), ['{"a":1}']);
});

Deno.test("SseDataParser: events whose lines end in LF yield their data, in order", async () => {
  await assertData('data: {"n":1}\n\ndata: {"n":2}\n\n', ['{"n":1}', '{"n":2}']);
});

Deno.test("SseDataParser: events whose lines end in CRLF yield the same data", async () => {
  await assertData('data: {"n":1}\r\n\r\ndata: {"n":2}\r\n\r\n', ['{"n":1}', '{"n":2}']);
});

Deno.test("SseDataParser: events whose lines end in a bare CR yield the same data", async () => {
  await assertData('data: {"n":1}\r\rdata: {"n":2}\r\r', ['{"n":1}', '{"n":2}']);
});

Deno.test("SseDataParser: LF, CRLF and CR may mix within one stream", async () => {
  await assertData("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r\n\n", ["a\nb\nc", "d"]);
});

Deno.test("SseDataParser: a CR ending one chunk and an LF starting the next are one line end, not two", () => {
  // Two line ends would make a blank line and split "a" and "b" into two events.
  const chunks = ["data: a\r", "\ndata: b\r", "\n\r", "\n"];
  const data = dataOf(chunks);
  assert.deepEqual(data, ["a\nb"]);
});

Deno.test("SseDataParser: an empty chunk between a CR and its LF does not break the pair", () => {
  const chunks = ["data: a\r", "", "\ndata: b\r", "", "", "\n\r", "", "\n"];
  const data = dataOf(chunks);
  assert.deepEqual(data, ["a\nb"]);
});

Deno.test("SseDataParser: a CR ending one chunk is a line end of its own when no LF follows", () => {
  const chunks = ["data: a\r", "data: b\r", "\r", "data: c\r", "\r"];
  const data = dataOf(chunks);
  assert.deepEqual(data, ["a\nb", "c"]);
});

Deno.test("SseDataParser: comment lines are skipped, between events and inside one", async () => {
  await assertData(": ping\n\ndata: a\n: still here\ndata: b\n\n:\n\n", ["a\nb"]);
});

Deno.test("SseDataParser: retry, id and event fields are read and ignored", async () => {
  const input = "retry: 1000\nid: 7\nevent: message\ndata: a\n\n" +
    "event: end\n\n" + // no data: no event
    "id\nretry: soon\nevent: error\ndata: b\n\n";
  await assertData(input, ["a", "b"]);
});

Deno.test("SseDataParser: several data lines join with LF, an empty one included", async () => {
  await assertData("data: a\ndata: b\ndata:\ndata: c\n\n", ["a\nb\n\nc"]);
});

Deno.test("SseDataParser: one space after the colon is dropped, and only one", async () => {
  await assertData("data:a\n\ndata:  b\n\ndata:\tc\n\n", ["a", " b", "\tc"]);
});

Deno.test("SseDataParser: a data field without a colon adds an empty line of data", async () => {
  await assertData("data\n\ndata\ndata: x\n\n", ["", "\nx"]);
});

Deno.test("SseDataParser: an event with one empty data line yields empty data; a blank line alone yields nothing", async () => {
  await assertData("\n\n\r\n\rdata:\n\n\n\n", [""]);
});

Deno.test("SseDataParser: field names are matched exactly: Data, 'data ' and datum are unknown fields", async () => {
  await assertData("Data: a\n\ndata : b\n\ndatum: c\n\ndata: d\n\n", ["d"]);
});

Deno.test("SseDataParser: the colons inside a data value are kept", async () => {
  await assertData('data: {"a":"b: c"}\n\n', ['{"a":"b: c"}']);
});

Deno.test("SseDataParser: an event not closed by a blank line when the stream ends is discarded", async () => {
  // WHATWG: "Once the end of the file is reached, any pending data must be discarded.
  // (If the file ends in the middle of an event, before the final empty line, the
  // incomplete event is not dispatched.)"
  await assertData("data: a\n\ndata: b\n", ["a"]);
  await assertData("data: a\n\ndata: b", ["a"]);
  await assertData("data: a\r\n\r\ndata: b\r\n", ["a"]);
});

Deno.test("SseDataParser: multi-byte characters and emoji survive any cut of the bytes", async () => {
  await assertData("data: Привет, мир! 👋\n\ndata: 𝄞é\u2028x\n\n", [
    "Привет, мир! 👋",
    "𝄞é\u2028x",
  ]);
});

Deno.test("SseDataParser: a UTF-8 BOM before the first line is dropped by TextDecoderStream", async () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("data: a\n\n")]);
  await assertData(bytes, ["a"]);
});

Deno.test("SseDataParser: only the first BOM is dropped: a second one turns the first field into an unknown one", async () => {
  // The stream is decoded with "UTF-8 decode", which strips one BOM; what is left starts
  // the first line, so its field name is "\uFEFFdata", not "data".
  const bom = [0xef, 0xbb, 0xbf];
  const bytes = new Uint8Array([
    ...bom,
    ...bom,
    ...new TextEncoder().encode("data: a\n\ndata: b\n\n"),
  ]);
  await assertData(bytes, ["b"]);
});

Deno.test("SseDataParser: a line of one megabyte, under the default cap, passes whole", async () => {
  const big = "Привет 👋 abc ".repeat(Math.ceil(1_048_576 / 14)).slice(0, 1_048_576);
  await assertData(`data: ${big}\n\ndata: after\n\n`, [big, "after"], {
    splitCounts: [1, 1000],
    oneByOne: false,
  });
});

Deno.test("SseDataParser: an event over maxEventChars throws a RangeError that names the cap", async () => {
  await assertTooLarge(`data: ${"a".repeat(101)}\n\n`, 100);
});

Deno.test("SseDataParser: an event over the cap throws when its data comes in many data lines", async () => {
  // 20 lines of 9 characters, joined by LF: 199 characters of data.
  await assertTooLarge(`${"data: aaaaaaaaa\n".repeat(20)}\n`, 100);
});

Deno.test("SseDataParser: an event over the cap throws before its blank line arrives", async () => {
  await assertTooLarge(`${"data: aaaaaaaaa\r\n".repeat(20)}`, 100);
  await assertTooLarge(`data: ${"a".repeat(500)}`, 100);
});

Deno.test("SseDataParser: an endless line throws on the very chunk that takes it past the cap", () => {
  // A hostile upstream may never end its line: the cap must hold without a line end.
  const parser = new SseDataParser({ maxEventChars: 100 });
  parser.feed("data: ", () => assert.fail("no event"));
  let fed = 6;
  while (fed + 10 <= 100) {
    parser.feed("aaaaaaaaaa", () => assert.fail("no event"));
    fed += 10;
  }
  assert.throws(() => parser.feed("aaaaaaaaaa", () => {}), RangeError, `after ${fed} characters`);
});

Deno.test("SseDataParser: the tooLarge option builds the error thrown past the cap", () => {
  const caps: number[] = [];
  const custom = new Error("Custom");
  const outcome = feedAll([`data: ${"a".repeat(60)}`], {
    maxEventChars: 50,
    tooLarge: (maxChars) => {
      caps.push(maxChars);
      return custom;
    },
  });
  assert.equal(outcome.error, custom);
  assert.deepEqual(caps, [50]);
});

Deno.test("SseDataParser: the default cap is MAX_EVENT_CHARS, 8 Mi characters", () => {
  assert.equal(MAX_EVENT_CHARS, 8 * 1024 * 1024);
  const parser = new SseDataParser();
  parser.feed(`data: ${"a".repeat(MAX_EVENT_CHARS - 6)}`, () => {});
  assert.throws(
    () => parser.feed("a", () => {}),
    (error) =>
      error instanceof RangeError &&
      error.message === `Event too large: over ${MAX_EVENT_CHARS} characters`,
  );
});

Deno.test("SseDataParser: the cap is per event: many events under it pass however many they are", async () => {
  const event = `data: ${"a".repeat(90)}\n\n`;
  await assertData(event.repeat(50), Array(50).fill("a".repeat(90)), {
    maxEventChars: 100,
    splitCounts: [7, 300],
  });
});

Deno.test("SseDataParser: an event of exactly maxEventChars passes however its text is cut", async () => {
  // The cap counts every line of the event, "data: " included, line ends not.
  await assertData(`data: ${"a".repeat(94)}\n\n`, ["a".repeat(94)], { maxEventChars: 100 });
});

Deno.test("SseDataParser: an event one character over maxEventChars fails however its text is cut", async () => {
  const input = `data: ${"a".repeat(95)}\n\n`;
  for (const cut of allCuts(input)) {
    const outcome = feedAll(await chunksOf(cut), { maxEventChars: 100 });
    assert.ok(outcome.failed, `${cut.label}: passed with ${outcome.values}`);
  }
});

Deno.test("SseDataParser: whether a long comment passes the cap does not depend on where chunks end", async () => {
  // A comment counts toward its event like any line, whether it arrives whole or cut.
  const input = `: ${"p".repeat(200)}\ndata: x\n\n`;
  const verdicts = new Map<string, string[]>();
  for (const cut of allCuts(input)) {
    const outcome = feedAll(await chunksOf(cut), { maxEventChars: 100 });
    const verdict = outcome.failed ? `failed: ${outcome.error}` : `passed: ${outcome.values}`;
    verdicts.set(verdict, [...verdicts.get(verdict) ?? [], cut.label]);
  }
  assert.equal(verdicts.size, 1, JSON.stringify(Object.fromEntries(verdicts), null, 1));
});

// Property test: SseDataParser and eventsource-parser's EventSourceParserStream agree on
// the data of every event, on random mixtures of fields, comments and line ends.

const LINE_ENDS = ["\n", "\r\n", "\r"];
// No CR or LF (line ends), no U+FEFF or "ï" (eventsource-parser strips a leading BOM, in
// decoded or byte-valued form, which a stream decoder already did: see the BOM tests).
const ALPHABET = ["a", "b", " ", ":", "Я", "👋", "é", "\u2028", "{", '"', "\t", "\0", "data", "𝄞"];

function randomValue(random: () => number): string {
  return Array.from(
    { length: randomInt(random, 0, 8) },
    () => ALPHABET[randomInt(random, 0, ALPHABET.length - 1)],
  ).join("");
}

function randomLine(random: () => number): string {
  const value = randomValue(random);
  const lines = [
    `data: ${value}`,
    `data:${value}`,
    "data",
    "data:",
    `: ${value}`,
    ":",
    `event: ${value}`,
    `id: ${value}`,
    `retry: ${randomInt(random, 0, 5000)}`,
    `retry: ${value}`,
    `foo: ${value}`,
    `Data: ${value}`,
    `data : ${value}`,
    "dat",
    value,
    "",
    "",
    "",
  ];
  return lines[randomInt(random, 0, lines.length - 1)]!;
}

function randomEventStream(random: () => number): string {
  let text = "";
  const count = randomInt(random, 0, 25);
  for (let i = 0; i < count; i++) {
    text += randomLine(random) + LINE_ENDS[randomInt(random, 0, 2)];
  }
  // Half the streams end cleanly, the others may stop in the middle of a line or event.
  if (random() < 0.5) text += "\n\n";
  else text += randomLine(random);
  return text;
}

function propertyCuts(text: string, random: () => number): Cut<string>[] {
  const bytes = new TextEncoder().encode(text);
  const textPoints = randomPoints(random, text.length, randomInt(random, 1, 12));
  const bytePoints = randomPoints(random, bytes.length, randomInt(random, 1, 12));
  const decode = (chunks: Uint8Array[]) =>
    ReadableStream.from(chunks).pipeThrough(new TextDecoderStream());
  return [
    { label: "whole", stream: () => ReadableStream.from([text]) },
    {
      label: `split at ${textPoints}`,
      stream: () => ReadableStream.from(sliceAt(text, textPoints)),
    },
    { label: "one UTF-16 unit at a time", stream: () => ReadableStream.from(text.split("")) },
    { label: `bytes split at ${bytePoints}`, stream: () => decode(sliceAt(bytes, bytePoints)) },
    {
      label: "one byte at a time",
      stream: () => decode(Array.from(bytes, (byte) => new Uint8Array([byte]))),
    },
  ];
}

Deno.test("SseDataParser: on random event streams the data agree with eventsource-parser's, however cut", async () => {
  for (const seed of SEEDS) {
    const random = seededRandom(seed);
    for (let round = 0; round < 40; round++) {
      const text = randomEventStream(random);
      for (const cut of propertyCuts(text, random)) {
        const ours = dataOf(await chunksOf(cut));
        const oracle = await Array.fromAsync(
          cut.stream().pipeThrough(new EventSourceParserStream()),
          (event) => event.data,
        );
        assert.deepEqual(
          ours,
          oracle,
          `seed ${seed}, round ${round}, ${cut.label}, input ${JSON.stringify(text)}`,
        );
      }
    }
  }
});

Deno.test("SseDataParser: the random event streams are not trivial: most carry events", () => {
  // Guards the property test above against a generator that yields nothing to compare.
  const random = seededRandom(SEEDS[0]!);
  let withEvents = 0;
  for (let round = 0; round < 40; round++) {
    const data = dataOf([randomEventStream(random)]);
    if (data.length > 0) withEvents++;
  }
  assert.ok(withEvents >= 20, `${withEvents} of 40 random streams carried events`);
});
