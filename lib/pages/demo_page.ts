/**
 * The demo page at `/`: a small chat that posts the conversation to `/api/chat` and
 * shows the answer as it arrives.
 */
export function demoPage(notice?: string): string {
  const banner = notice ? `<p class="notice" role="note">${escapeHtml(notice)}</p>` : "";
  return PAGE.replace("<!--notice-->", banner);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mwai-edge</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 42rem; padding: 1rem; }
  .notice { background: #fff4ce; padding: .5rem .75rem; border-radius: .4rem; }
  #log { list-style: none; padding: 0; }
  #log li { margin: .5rem 0; padding: .5rem .75rem; border-radius: .6rem; white-space: pre-wrap; }
  #log .user { background: #e8f0fe; margin-left: 3rem; }
  #log .assistant { background: #f1f3f4; margin-right: 3rem; }
  #log .error { background: #fde7e9; }
  form { display: flex; gap: .5rem; }
  input { flex: 1; font: inherit; padding: .5rem; }
  button { font: inherit; padding: .5rem 1rem; }
</style>
</head>
<body>
<h1>mwai-edge</h1>
<!--notice-->
<ul id="log" aria-live="polite"></ul>
<form id="form">
  <label for="text" hidden>Message</label>
  <input id="text" autocomplete="off" placeholder="Say something" required>
  <button id="send">Send</button>
  <button id="stop" type="button" disabled>Stop</button>
</form>
<script type="module">
const log = document.getElementById("log");
const form = document.getElementById("form");
const text = document.getElementById("text");
const stop = document.getElementById("stop");
const messages = [];
let controller = null;
function add(role, content) {
  const li = document.createElement("li");
  li.className = role;
  li.textContent = content;
  log.append(li);
  return li;
}
stop.onclick = () => controller?.abort();
form.onsubmit = async (event) => {
  event.preventDefault();
  const content = text.value.trim();
  if (!content || controller) return;
  text.value = "";
  messages.push({ role: "user", content });
  add("user", content);
  const reply = add("assistant", "");
  controller = new AbortController();
  stop.disabled = false;
  try {
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages }),
      signal: controller.signal,
    });
    if (!response.ok) throw new Error((await response.json()).error.message);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      reply.textContent += value;
    }
    messages.push({ role: "assistant", content: reply.textContent });
  } catch (error) {
    messages.pop();
    reply.className = "assistant error";
    reply.textContent += (reply.textContent ? "\\n" : "") +
      (error.name === "AbortError" ? "Stopped." : "Error: " + error.message);
  } finally {
    controller = null;
    stop.disabled = true;
  }
};
</script>
</body>
</html>
`;
