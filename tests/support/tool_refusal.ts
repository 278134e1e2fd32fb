/**
 * One AI SDK call that asks for a tool, and what the gateway must answer it: a 400 whose
 * body says tools are not supported (AI Engine cannot honour them), never a retry.
 */
import { APICallError, generateText, jsonSchema, type LanguageModel, tool } from "ai";
import assert from "node:assert/strict";

/** `generateText` with a weather tool on `model` rejects with the gateway's 400. */
export async function assertToolsRefused(model: LanguageModel): Promise<void> {
  await assert.rejects(
    generateText({
      model,
      prompt: "Weather in Paris?",
      tools: {
        weather: tool({
          description: "get weather",
          inputSchema: jsonSchema({ type: "object", properties: { city: { type: "string" } } }),
        }),
      },
    }),
    (error) =>
      APICallError.isInstance(error) && error.statusCode === 400 &&
      /tools is not supported/.test(error.responseBody ?? ""),
  );
}
