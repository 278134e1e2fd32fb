/**
 * A scripted `AnswerReader`, for the stages that read an answer (the encoders' collector,
 * the answer body): it gives its steps one per read, records its reads and its cancel.
 */
import type { AnswerReader } from "../../lib/ai_engine/answer/answer_reader.ts";
import type {
  AiEngineUsage,
  AnswerChunk,
  AnswerFinish,
} from "../../lib/ai_engine/answer/events.ts";

/** One read of a scripted answer: a chunk, or the error the read rejects with. */
export type AnswerStep = AnswerChunk | { error: unknown };

/** What a scripted answer was asked. */
export interface AnswerRecord {
  reads: number;
  cancels: number;
  cancelledWith: unknown;
}

/** A reader that gives `steps` one per read, then `null`. */
export function scriptedAnswer(
  steps: readonly AnswerStep[],
): { answer: AnswerReader; record: AnswerRecord } {
  const record: AnswerRecord = { reads: 0, cancels: 0, cancelledWith: "not cancelled" };
  let next = 0;
  const answer: AnswerReader = {
    read() {
      record.reads++;
      const step = steps[next++];
      if (step === undefined) return Promise.resolve(null);
      return "error" in step ? Promise.reject(step.error) : Promise.resolve(step);
    },
    cancel(reason) {
      record.cancels++;
      record.cancelledWith = reason;
      next = steps.length;
      return Promise.resolve();
    },
  };
  return { answer, record };
}

/** A finish with this reply (and usage). */
export function finish(reply: string, usage: AiEngineUsage | null = null): AnswerFinish {
  return { type: "finish", reply, usage, newToken: null };
}

/** The steps of an answer streamed as `pieces`, the last one carrying the finish. */
export function streamed(
  pieces: readonly string[],
  end: AnswerFinish = finish(pieces.join("")),
): AnswerChunk[] {
  const chunks: AnswerChunk[] = pieces.map((text) => ({ text, finish: null }));
  chunks.push({ text: "", finish: end });
  return chunks;
}

/** What a reader gave, read to its end or its failure. */
export async function readAll(
  reader: AnswerReader,
): Promise<{ chunks: AnswerChunk[]; text: string; error?: unknown }> {
  const chunks: AnswerChunk[] = [];
  const text = () => chunks.map((chunk) => chunk.text).join("");
  try {
    for (let chunk = await reader.read(); chunk !== null; chunk = await reader.read()) {
      chunks.push(chunk);
      if (chunks.length > 100_000) throw new Error("The reader never ends");
    }
    return { chunks, text: text() };
  } catch (error) {
    return { chunks, text: text(), error };
  }
}

/**
 * An answer whose reads wait until the test gives their step: a site that writes when
 * the test says. `reads()` counts the reads asked for; a cancel ends the waiting ones.
 */
export function answerAtTestPace() {
  const waiting: ((step: AnswerStep | null) => void)[] = [];
  const early: AnswerStep[] = [];
  let reads = 0;
  const answer: AnswerReader = {
    read() {
      reads++;
      const step = early.shift();
      const settle = (step: AnswerStep | null) =>
        step !== null && "error" in step ? Promise.reject(step.error) : step;
      if (step) return Promise.resolve(settle(step));
      return new Promise((resolve) => waiting.push((step) => resolve(settle(step))));
    },
    cancel() {
      waiting.splice(0).forEach((give) => give(null));
      return Promise.resolve();
    },
  };
  const give = (step: AnswerStep) => {
    const read = waiting.shift();
    if (read) read(step);
    else early.push(step);
  };
  return { answer, give, reads: () => reads };
}
