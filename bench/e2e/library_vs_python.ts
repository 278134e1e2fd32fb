/**
 * Section 8: the library against the original Python generator's algorithm on the same
 * bytes. `bench/python_reader.py` (aiohttp, line by line, `json.loads` per event) and
 * `chat()` (`library_reader.ts`) each read the same long answer from the same emulator,
 * each in its own process and each timing itself (wall, and its process's CPU), taking
 * turns answer by answer so that background load falls on both alike.
 *
 * @module
 */
import { submitBody } from "../../lib/ai_engine/submit.ts";
import { inherited } from "./processes.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const PYTHON = "/usr/bin/python3";

/** One answer as a reader timed it. */
export interface Reading {
  wallMs: number;
  cpuMs: number;
  chars: number;
}

/** What section 8 measured, or why it could not. */
export type LibraryFigures =
  | { skipped: null; events: number; python: Reading[]; library: Reading[]; errors: number }
  | { skipped: string; events: number };

/** Reads `rounds` answers of `events` pieces of "abcd" from `siteUrl` with each reader. */
export async function measureLibraryVsPython(
  siteUrl: string,
  nonce: string,
  events: number,
  rounds: number,
): Promise<LibraryFigures> {
  const message = "Tell me a long story";
  const body = submitBody({ botId: "default", messages: [{ role: "user", content: message }] });
  const submitUrl = `${siteUrl}/wp-json/mwai-ui/v1/chats/submit`;
  let python: ReaderProcess;
  try {
    python = await ReaderProcess.start(PYTHON, ["bench/python_reader.py", submitUrl, nonce, body]);
  } catch (error) {
    return { skipped: `skipped: ${error instanceof Error ? error.message : error}`, events };
  }
  await using _python = python;
  if (python.skipped) return { skipped: `skipped: ${python.skipped}`, events };
  await using library = await ReaderProcess.start(Deno.execPath(), [
    "run",
    "--allow-net",
    "--allow-env",
    "bench/e2e/library_reader.ts",
    siteUrl,
    nonce,
    message,
  ]);
  const figures = { skipped: null, events, python: [] as Reading[], library: [] as Reading[] };
  let errors = 0;
  for (const reader of [python, library, python, library]) await reader.read(); // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [python, library] : [library, python];
    for (const reader of order) {
      const reading = await reader.read();
      if (reading.chars !== events * 4) errors++;
      (reader === python ? figures.python : figures.library).push(reading);
    }
  }
  return { ...figures, errors };
}

/** A reader in a child process, one answer per `go` line (see `python_reader.py`). */
class ReaderProcess implements AsyncDisposable {
  /** Why the reader cannot run (it said so instead of getting ready), or null. */
  skipped: string | null = null;
  #child: Deno.ChildProcess;
  #lines: AsyncIterator<string>;
  #stdin: WritableStreamDefaultWriter<Uint8Array>;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#lines = lines(child.stdout);
    this.#stdin = child.stdin.getWriter();
  }

  static async start(command: string, args: string[]): Promise<ReaderProcess> {
    const child = new Deno.Command(command, {
      args,
      cwd: ROOT,
      env: inherited(),
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = new ReaderProcess(child);
    const hello = await reader.#next();
    if (typeof hello.skipped === "string") reader.skipped = hello.skipped;
    else if (hello.ready !== true) throw new Error(`${command} ${args[0]} did not start`);
    return reader;
  }

  async read(): Promise<Reading> {
    await this.#stdin.write(new TextEncoder().encode("go\n"));
    const { wallMs, cpuMs, chars } = await this.#next();
    return { wallMs: Number(wallMs), cpuMs: Number(cpuMs), chars: Number(chars) };
  }

  async #next(): Promise<Record<string, unknown>> {
    const { value, done } = await this.#lines.next();
    if (done) throw new Error("The reader exited");
    return JSON.parse(value);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#stdin.close().catch(() => {});
    await this.#child.status;
  }
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let pending = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (pending + text).split("\n");
    pending = parts.pop() ?? "";
    yield* parts.filter((line) => line.trim() !== "");
  }
}
