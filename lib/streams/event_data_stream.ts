import { SseDataParser } from "./sse_data_parser.ts";

export { MAX_EVENT_CHARS } from "./sse_data_parser.ts";

/**
 * The server-sent event parser ({@linkcode SseDataParser}) as a stream: decoded text in,
 * the `data` of each event out, with the same size cap.
 *
 * @example
 * ```ts
 * import { EventDataStream } from "./event_data_stream.ts";
 * const data = ReadableStream.from(["data: {\"a\"", ":1}\r\n\r\n: ping\n\n"])
 *   .pipeThrough(new EventDataStream());
 * for await (const item of data) console.log(item); // {"a":1}
 * ```
 */
export class EventDataStream extends TransformStream<string, string> {
  /**
   * A parsing stage.
   *
   * @param options.maxEventChars the cap on one event, in characters (default 8 Mi)
   */
  constructor(options: { maxEventChars?: number } = {}) {
    const parser = new SseDataParser(options);
    super({
      transform: (chunk, controller) => parser.feed(chunk, (data) => controller.enqueue(data)),
    });
  }
}
