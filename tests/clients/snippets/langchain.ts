import { ChatOpenAI } from "@langchain/openai";

/** Asks through the gateway at `gateway`, whole, then streamed. */
export async function ask(gateway: string, apiKey: string, question: string): Promise<string[]> {
  const llm = new ChatOpenAI({
    model: "default",
    apiKey,
    configuration: { baseURL: `${gateway}/v1` },
  });
  const whole = await llm.invoke(question);
  let streamed = "";
  for await (const chunk of await llm.stream(question)) streamed += chunk.content;
  return [String(whole.content), streamed];
}
