import { Agent, OpenAIProvider, Runner, setTracingDisabled } from "@openai/agents";

/** Runs an agent whose model is a bot of the site, through the gateway at `gateway`. */
export async function ask(gateway: string, apiKey: string, question: string): Promise<string> {
  setTracingDisabled(true); // traces would go to OpenAI's platform
  const modelProvider = new OpenAIProvider({ baseURL: `${gateway}/v1`, apiKey });
  const agent = new Agent({ name: "Site assistant", model: "default" });
  const result = await new Runner({ modelProvider }).run(agent, question);
  return result.finalOutput ?? "";
}
