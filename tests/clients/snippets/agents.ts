import { Agent, OpenAIProvider, Runner, setTracingDisabled } from "@openai/agents";
import OpenAI from "openai";

/** Runs an agent whose model is a bot of the site, through the gateway at `gateway`. */
export async function ask(gateway: string, apiKey: string, question: string): Promise<string> {
  setTracingDisabled(true); // traces would go to OpenAI's platform
  const openAIClient = new OpenAI({ baseURL: `${gateway}/v1`, apiKey });
  const runner = new Runner({ modelProvider: new OpenAIProvider({ openAIClient }) });
  const agent = new Agent({ name: "Site assistant", model: "default" });
  const result = await runner.run(agent, question);
  return result.finalOutput ?? "";
}
