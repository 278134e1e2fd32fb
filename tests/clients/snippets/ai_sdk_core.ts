import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, streamText } from "ai";

/** Asks through the gateway at `gateway`, whole, then streamed. */
export async function ask(gateway: string, apiKey: string, question: string): Promise<string[]> {
  const mwai = createOpenAICompatible({ name: "mwai", baseURL: `${gateway}/v1`, apiKey });
  const { text } = await generateText({ model: mwai("default"), prompt: question });
  let streamed = "";
  for await (const piece of streamText({ model: mwai("default"), prompt: question }).textStream) {
    streamed += piece;
  }
  return [text, streamed];
}
