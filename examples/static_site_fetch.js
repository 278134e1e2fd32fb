// @ts-check
/**
 * Streams an answer from an mwai-edge gateway into a static site's own UI: `onText` gets
 * each piece as it arrives; resolves with the whole answer, rejects with the gateway's
 * error message or when the answer is cut off (a cut answer never passes for whole).
 *
 * @param {string} gateway the gateway's URL, e.g. "https://gateway.example"
 * @param {{ role: "user" | "assistant", content: string }[]} messages oldest first, ending with the user's
 * @param {(text: string) => void} onText
 * @param {AbortSignal} [signal] abort to stop the answer (the gateway stops the site too)
 * @returns {Promise<string>}
 */
export async function streamChat(gateway, messages, onText, signal) {
  const response = await fetch(`${gateway}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages }),
    signal,
  });
  if (!response.ok || !response.body) {
    const { error } = await response.json();
    throw new Error(error.message);
  }
  // A reader loop rather than `for await`: Safari cannot iterate a ReadableStream.
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let answer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return answer;
    answer += value;
    onText(value);
  }
}
