/**
 * Properties of the whole decoding pipe, from upstream bytes to answer chunks, checked on
 * inputs fast-check makes up: any answer in any chunking decodes to itself, and any
 * garbage ends in text or a typed error, never a crash or a hang.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import { readAnswer } from "../../../lib/ai_engine/answer/submit_response.ts";
import type { SubmitOptions } from "../../../lib/ai_engine/submit.ts";
import { bytesOf } from "../../../lib/streams/byte_source.ts";
import { phpJsonEncode } from "../../emulator/php_json.ts";
import { sliceAt } from "../../support/chunking.ts";

const OPTIONS: SubmitOptions = {
  restUrl: "http://site.invalid",
  timeoutMs: 2_000,
};

/** Reads an upstream body, given as byte chunks, into its text and outcome. */
async function decode(
  chunks: Uint8Array[],
): Promise<{ text: string; error: unknown; finished: boolean }> {
  let text = "";
  let finished = false;
  try {
    const response = {
      status: 200,
      headers: new Headers({ "content-type": "text/event-stream; charset=UTF-8" }),
      body: bytesOf(chunks),
    };
    const answer = await readAnswer(response, OPTIONS, () => {}, { status: null, events: 0 });
    if (typeof answer === "symbol") return { text, error: answer, finished };
    for (let chunk = await answer.read(); chunk !== null; chunk = await answer.read()) {
      assert.ok(!finished, "nothing comes after the finish");
      text += chunk.text;
      if (chunk.finish) finished = true;
    }
    return { text, error: null, finished };
  } catch (error) {
    return { text, error, finished };
  }
}

/** Cuts bytes at the given points (any order, any repeats: empty chunks included). */
function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  return sliceAt(bytes, points.map((p) => p % (bytes.length + 1)).sort((a, b) => a - b));
}

/** The body AI Engine streams for these pieces, PHP's JSON escapes and all. */
function eventBody(pieces: string[], eol: string): Uint8Array {
  const reply = pieces.join("");
  const end = phpJsonEncode({ success: true, reply, images: null, usage: null });
  const events = [
    ...pieces.map((data) => phpJsonEncode({ type: "live", data })),
    phpJsonEncode({ type: "end", data: end }),
  ];
  return new TextEncoder().encode(events.map((e) => `data: ${e}${eol}${eol}`).join(""));
}

const text = fc.string({ unit: "grapheme", maxLength: 12 });
const eol = fc.constantFrom("\n", "\r\n", "\r");

Deno.test("readAnswer: any answer, in any pieces, with any line ends and any chunking, decodes to itself", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(text, { minLength: 1, maxLength: 12 }),
      eol,
      fc.array(fc.nat(), { maxLength: 40 }),
      async (pieces, lineEnd, points) => {
        const outcome = await decode(cut(eventBody(pieces, lineEnd), points));
        assert.equal(outcome.error, null, String(outcome.error));
        assert.equal(outcome.text, pieces.join(""));
        assert.ok(outcome.finished);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("readAnswer: any answer cut short before its end event fails as truncated, never as whole", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(text, { minLength: 1, maxLength: 8 }),
      fc.nat(),
      async (pieces, at) => {
        const body = eventBody(pieces, "\n");
        const endStart = new TextDecoder().decode(body).lastIndexOf("data: ");
        const kept =
          new TextEncoder().encode(new TextDecoder().decode(body).slice(0, endStart)).length;
        const outcome = await decode([body.slice(0, at % (kept + 1))]);
        assert.ok(outcome.error instanceof AiEngineError, `no error for ${JSON.stringify(pieces)}`);
        assert.ok(!outcome.finished);
        assert.ok(pieces.join("").startsWith(outcome.text));
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("readAnswer: any byte garbage ends in text or a typed error, never a crash or a hang", async () => {
  const garbage = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    // Garbage that looks like events, so it gets past the first-byte check.
    fc.array(
      fc.oneof(
        fc.string(),
        text,
        fc.constantFrom("data: ", "\n", "\r", ":", "{", '"type"', '"live"', '"end"'),
      ),
    )
      .map((parts) => new TextEncoder().encode(`data: ${parts.join("")}`)),
  );
  await fc.assert(
    fc.asyncProperty(garbage, fc.array(fc.nat(), { maxLength: 20 }), async (bytes, points) => {
      const outcome = await decode(cut(bytes, points));
      if (outcome.error !== null) {
        assert.ok(outcome.error instanceof AiEngineError, `untyped: ${outcome.error}`);
      } else {
        assert.ok(outcome.finished, "a success always finishes");
      }
    }),
    { numRuns: 500 },
  );
});
