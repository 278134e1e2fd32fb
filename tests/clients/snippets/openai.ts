import OpenAI from "openai";

/** Streams the answer to `question` through the gateway at `gateway`. */
export async function ask(gateway: string, apiKey: string, question: string): Promise<string> {
  const openai = new OpenAI({ baseURL: `${gateway}/v1`, apiKey });
  const stream = await openai.chat.completions.create({
    model: "default", // a bot of AI_ENGINE_BOTS
    messages: [{ role: "user", content: question }],
    stream: true,
  });
  let answer = "";
  for await (const chunk of stream) answer += chunk.choices[0]?.delta.content ?? "";
  return answer;
}
