import type { ChatMessage } from "../../ai_engine/submit.ts";
import { hex } from "../../util/hex.ts";
import { isRecord } from "../../util/is_record.ts";
import { SealedJson } from "./sealed_json.ts";

/** The most characters of earlier turns a response id carries; older turns drop first. */
export const MAX_CARRIED_CHARS = 16_000;
/** How long a response id can be continued from: OpenAI keeps responses 30 days. */
export const MAX_AGE_SECONDS = 30 * 86_400;
/**
 * The answers kept in memory for the next turn, the longest one kept, and all of them
 * together: at most some 4 MB of an isolate's memory (Workers give an isolate 128 MB).
 */
const MAX_ANSWERS = 500;
const MAX_ANSWER_CHARS = 32_000;
const MAX_REMEMBERED_CHARS = 2_000_000;

/** What a new response is known by: its id, its message's id, and its memory key. */
export interface ResponseHandle {
  /** `resp_…`: the conversation so far, sealed (see {@linkcode ResponseThreads}). */
  id: string;
  /** `msg_…`: the id of the answer's message, which an `item_reference` names. */
  messageId: string;
  /** Where this response's answer is remembered once complete (its client's own slot). */
  key: string;
}

/** A conversation as a response id carries it, to continue it. */
export interface ResponseThread {
  /** The site's conversation id (AI Engine's `chatId`). */
  chatId: string;
  /** The turns so far, oldest first, the answer of the response included when remembered. */
  turns: ChatMessage[];
}

/**
 * The conversations of the Responses API, with no store. A response id is the conversation
 * so far sealed (see {@linkcode SealedJson}, keyed by `SESSION_SECRET`): the site's `chatId`
 * and the turns up to the user's message it answers, the newest `MAX_CARRIED_CHARS` of them.
 * A streamed response's id is made before its answer (it is its first event), so that
 * answer is remembered in this isolate's memory (its newest 500 answers, 2 million
 * characters at most) under a key the id holds, for the next turn; a response not
 * streamed seals its answer into its id, and needs no memory.
 * The id, and the answer its message id recalls, open only for the client it was given to
 * (its key's digest, for a keyed client).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ResponseThreads } from "./response_threads.ts";
 * const threads = new ResponseThreads("a secret of sixteen or more");
 * const hello = [{ role: "user" as const, content: "Hello" }];
 * const response = await threads.start("chat-1", hello, "");
 * threads.remember(response.key, "Hi there");
 * const thread = await threads.continueFrom(response.id, "");
 * assert.equal(thread?.chatId, "chat-1");
 * assert.deepEqual(thread?.turns.map((turn) => turn.content), ["Hello", "Hi there"]);
 * assert.equal(threads.recallMessage(response.messageId), "Hi there");
 * ```
 */
export class ResponseThreads {
  #sealer: SealedJson;
  #answers = new Map<string, string>();
  #chars = 0;

  /** Ids keyed by `secret` (`SESSION_SECRET`), or by a random key of this isolate's own. */
  constructor(secret: string | null) {
    this.#sealer = new SealedJson(secret, "mwai-edge response id v1");
  }

  /** Whether ids open in every isolate and after a restart. */
  get stable(): boolean {
    return this.#sealer.stable;
  }

  /**
   * A new response of conversation `chatId`, whose turns end with the user's new message,
   * or with the answer itself when it is known already (a response not streamed): such an
   * id needs no memory.
   */
  async start(
    chatId: string,
    turns: readonly ChatMessage[],
    client: string,
  ): Promise<ResponseHandle> {
    const key = hex(crypto.getRandomValues(new Uint8Array(16)));
    const payload = {
      c: chatId,
      k: key,
      at: Math.floor(Date.now() / 1000),
      t: newest(turns).map(({ role, content }) => [role === "user" ? 0 : 1, content]),
    };
    const id = `resp_${await this.#sealer.seal(payload, client)}`;
    return { id, messageId: `msg_${key}`, key: slot(client, key) };
  }

  /** The conversation a response id carries, or null when it is not a live id of `client`'s. */
  async continueFrom(id: string, client: string): Promise<ResponseThread | null> {
    if (!id.startsWith("resp_")) return null;
    const payload = await this.#sealer.open(id.slice(5), client);
    if (!isRecord(payload) || typeof payload.c !== "string" || typeof payload.k !== "string") {
      return null;
    }
    if (typeof payload.at !== "number" || Date.now() / 1000 - payload.at > MAX_AGE_SECONDS) {
      return null;
    }
    const turns: ChatMessage[] = (Array.isArray(payload.t) ? payload.t : []).map((turn) => ({
      role: turn[0] === 0 ? "user" : "assistant",
      content: String(turn[1]),
    }));
    const answer = turns.at(-1)?.role === "assistant"
      ? undefined
      : this.#answers.get(slot(client, payload.k));
    if (answer !== undefined) turns.push({ role: "assistant", content: answer });
    return { chatId: payload.c, turns };
  }

  /** Keeps a complete answer for the next turn; the oldest go first past the bounds. */
  remember(key: string, answer: string): void {
    if (answer.length > MAX_ANSWER_CHARS || this.#answers.has(key)) return;
    this.#answers.set(key, answer);
    this.#chars += answer.length;
    while (this.#answers.size > MAX_ANSWERS || this.#chars > MAX_REMEMBERED_CHARS) {
      const [oldest, text] = this.#answers.entries().next().value!;
      this.#answers.delete(oldest);
      this.#chars -= text.length;
    }
  }

  /**
   * The answer of message `msg_…` (an `item_reference`), when this isolate remembers it
   * for `client`: as a response id, a message id is of no use to another key's client.
   */
  recallMessage(messageId: string, client = ""): string | undefined {
    if (!messageId.startsWith("msg_")) return undefined;
    return this.#answers.get(slot(client, messageId.slice(4)));
  }
}

/** Where `client`'s answer `key` is remembered: apart from every other client's. */
function slot(client: string, key: string): string {
  return client === "" ? key : `${client} ${key}`;
}

/**
 * The newest turns within `MAX_CARRIED_CHARS`, oldest first. A newest turn longer than
 * that is carried cut to its end, rather than leaving the next turn with nothing.
 */
function newest(turns: readonly ChatMessage[]): readonly ChatMessage[] {
  const last = turns.at(-1);
  if (last && last.content.length > MAX_CARRIED_CHARS) {
    // Never half an emoji: a lone surrogate makes the site's json_decode refuse the body.
    const content = last.content.slice(-MAX_CARRIED_CHARS).replace(/^[\uDC00-\uDFFF]/, "");
    return [{ role: last.role, content }];
  }
  let chars = 0;
  let from = turns.length;
  while (from > 0 && chars + turns[from - 1]!.content.length <= MAX_CARRIED_CHARS) {
    chars += turns[--from]!.content.length;
  }
  return turns.slice(from);
}
