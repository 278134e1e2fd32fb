import { OpenAI } from "openai";

/** Asks, then follows up in the same conversation, through the gateway at `gateway`. */
export async function ask(gateway: string, apiKey: string, question: string): Promise<string[]> {
  const openai = new OpenAI({ baseURL: `${gateway}/v1`, apiKey });
  const first = await openai.responses.create({ model: "default", input: question });
  const stream = openai.responses.stream({
    model: "default",
    input: "Tell me more",
    previous_response_id: first.id, // the same conversation on the site
  });
  let more = "";
  for await (const event of stream) {
    if (event.type === "response.output_text.delta") more += event.delta;
  }
  return [first.output_text, more];
}
