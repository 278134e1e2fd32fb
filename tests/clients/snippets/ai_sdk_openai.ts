import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";

/** Asks through the gateway at `gateway` with the AI SDK's own OpenAI provider (Responses API). */
export async function ask(gateway: string, apiKey: string, question: string): Promise<string[]> {
  const openai = createOpenAI({ baseURL: `${gateway}/v1`, apiKey });
  const { text } = await generateText({ model: openai("default"), prompt: question });
  let streamed = "";
  for await (const piece of streamText({ model: openai("default"), prompt: question }).textStream) {
    streamed += piece;
  }
  return [text, streamed];
}
