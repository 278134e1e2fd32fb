/**
 * The streamed answers recorded from a real AI Engine 3.6.2 site
 * (`tests/fixtures/ai-engine-3.6.2/`, top level and `rerun/`), with what each one
 * must come to. Each `*.txt` holds the raw HTTP answer: CRLF header lines, a blank CRLF
 * line, then the body; only bodies of events (starting with `data:`) are kept here.
 */
import type { AiEngineErrorType } from "../../lib/ai_engine/ai_engine_error.ts";

/** Where the recordings live, beside this repository. */
export const FIXTURES_DIR = new URL("../fixtures/ai-engine-3.6.2/", import.meta.url);

/** The answer of the language-model stand-in, in seven streamed pieces. */
export const ANSWER = "Привет, мир! 👋 The answer is 42.";

/** What a recorded stream must come to. */
export type Expected =
  /** A complete answer: this text, then a finish whose reply is `reply`. */
  | { kind: "answer"; text: string; reply: string }
  /** A failure of this type, after this text. */
  | { kind: "failure"; type: AiEngineErrorType; text: string };

/** One recorded event stream. */
export interface RecordedStream {
  /** The file's path under the fixtures directory, e.g. `rerun/d-stream.txt`. */
  name: string;
  /** The body's bytes, as they came. */
  body: Uint8Array;
  expected: Expected;
}

const REJECTED = { kind: "failure", type: "rejected", text: "" } as const;
const ECHO = "Я".repeat(40); // the stand-in echoes the first 40 characters of the message

// The file names of both captures differ ("f-upstream-429-stream-true" at the top level,
// "f-429-stream-true" in rerun/), so each rule matches both.
const EXPECTATIONS: [RegExp, Expected][] = [
  [/^(d|d2|d3|d4)-/, { kind: "answer", text: ANSWER, reply: ANSWER }],
  [/^h-/, { kind: "answer", text: ANSWER, reply: ANSWER }],
  [/^g-unknown-bot-/, { kind: "answer", text: ANSWER, reply: ANSWER }],
  [/^g-511chars-/, {
    kind: "answer",
    text: `ECHO(511 chars): ${ECHO}`,
    reply: `ECHO(511 chars): ${ECHO}`,
  }],
  [/^g-512chars-/, {
    kind: "answer",
    text: `ECHO(512 chars): ${ECHO}`,
    reply: `ECHO(512 chars): ${ECHO}`,
  }],
  [/^g-(513chars|524chars|huge-200k|200k|huge-513)-/, REJECTED],
  [/^f-(upstream-)?429-/, { kind: "failure", type: "rate_limited", text: "" }],
  [/^f-(upstream-)?(401|404|500|503)-/, { kind: "failure", type: "upstream_failed", text: "" }],
  [/^f-(upstream-)?cut-/, { kind: "failure", type: "upstream_failed", text: "Привет, " }],
  [/^f-(upstream-)?midstream-/, { kind: "answer", text: "Привет, ", reply: "Привет," }],
  [/^f-(upstream-)?(empty|502html)-/, { kind: "answer", text: "", reply: "" }],
];

const SEPARATOR = [13, 10, 13, 10];

/** The bytes after the first CRLF CRLF: the HTTP body. */
export function bodyOf(answer: Uint8Array): Uint8Array | null {
  for (let i = 0; i + 3 < answer.length; i++) {
    if (SEPARATOR.every((byte, j) => answer[i + j] === byte)) return answer.subarray(i + 4);
  }
  return null;
}

/**
 * Every recorded event stream, in both captures. Throws on a stream with no expectation
 * above, so a recording added later cannot go untested.
 */
export function recordedStreams(): RecordedStream[] {
  const streams: RecordedStream[] = [];
  for (const folder of ["", "rerun/"]) {
    const names = [...Deno.readDirSync(new URL(folder, FIXTURES_DIR))]
      .filter((entry) => entry.isFile && entry.name.endsWith(".txt"))
      .map((entry) => entry.name)
      .filter((name) => !name.endsWith(".timing.txt"))
      .sort();
    for (const name of names) {
      const body = bodyOf(Deno.readFileSync(new URL(folder + name, FIXTURES_DIR)));
      if (!body || !startsWith(body, "data:")) continue; // JSON, cookies, index: not events
      const rule = EXPECTATIONS.find(([pattern]) => pattern.test(name));
      if (!rule) throw new Error(`No expectation for the recorded stream ${folder}${name}`);
      streams.push({ name: folder + name, body, expected: rule[1] });
    }
  }
  return streams;
}

function startsWith(bytes: Uint8Array, prefix: string): boolean {
  return new TextDecoder().decode(bytes.subarray(0, prefix.length)) === prefix;
}
