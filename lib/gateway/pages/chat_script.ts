import { ANSWER_VIEW_SCRIPT } from "./answer_view_script.ts";
import { MARKDOWN_DOM_SCRIPT } from "./markdown_dom_script.ts";
import { MARKDOWN_HTML_SCRIPT } from "./markdown_html_script.ts";
import { MARKDOWN_VENDOR } from "./markdown_vendor.ts";
import { UNFINISHED_MARKDOWN_SCRIPT } from "./unfinished_markdown_script.ts";
import { TURNSTILE_CHECK_SCRIPT } from "./turnstile_check_script.ts";

/**
 * The one chat client, as browser JavaScript: `mountChat(root, options)` builds the chat
 * in an empty element and talks to `/api/chat`. The page at `/` and the widget of
 * `/embed.js` both embed this source, so they behave alike: the history is kept in the
 * page and sent as `messages`, answers show as Markdown as they stream (the view of
 * {@linkcode ANSWER_VIEW_SCRIPT}; a reader at the end of the log stays there, one who
 * scrolled up is left where they are), Stop aborts the request (the gateway then aborts
 * the upstream), failures are said in words, and a 401 asks for an API key, kept in
 * `sessionStorage`. With a Turnstile site key, the widget of {@linkcode TURNSTILE_CHECK_SCRIPT}
 * sits above the message box: a message goes once the check is done, and a refused check
 * brings the message back to the box.
 *
 * It is a string so that one `main.ts` serves it on Deno and on Workers without reading
 * files; the vendored renderer comes first. Its own part must hold no backtick, no
 * dollar-brace and no closing script tag: it is spliced into a template literal and into
 * an inline `<script>`.
 *
 * `options`: `endpoint` (absolute URL of `/api/chat`), `model` (or null for the default
 * bot), `storageKey` (the sessionStorage key of the API key), `turnstileSiteKey` (or null:
 * no check), `checkSlot` (an element outside the chat's shadow root to render the widget
 * in, slotted into place; else it renders inside), `checkWhenOpened` (true: the check
 * loads on the first `focus()` or focus of the box, not at once). Returns `{ focus() }`.
 */
export const CHAT_SCRIPT: string = MARKDOWN_VENDOR + MARKDOWN_HTML_SCRIPT +
  UNFINISHED_MARKDOWN_SCRIPT + MARKDOWN_DOM_SCRIPT + ANSWER_VIEW_SCRIPT + TURNSTILE_CHECK_SCRIPT +
  String.raw`
function mountChat(root, options) {
  const doc = root.ownerDocument;
  const history = [];
  // One AI Engine chatId for this conversation (its Discussions row, its follow-ups), so the
  // gateway need not derive one; getRandomValues works on plain-http pages too.
  const chatId = "page-" + Array.from(crypto.getRandomValues(new Uint8Array(12)),
    (b) => b.toString(16).padStart(2, "0")).join("");
  let controller = null;
  let memoryKey = "";
  // Whether the log follows new text: true while the reader is at its end. Scroll events of
  // the log's own following (at the top it set) say nothing about the reader.
  let following = true;
  let followedTop = -1;
  root.classList.add("mwai-chat");
  root.dataset.state = "idle";
  root.innerHTML =
    '<ol class="mwai-log" role="log" aria-label="Conversation"></ol>' +
    '<form class="mwai-key" hidden>' +
    '<label><span>API key</span>' +
    '<input type="password" autocomplete="off" spellcheck="false" required></label>' +
    '<button type="submit">Use key</button>' +
    '<p class="mwai-hint">The key is kept in this browser tab only.</p></form>' +
    '<form class="mwai-form">' +
    (options.turnstileSiteKey ? '<div class="mwai-check"><div></div>' +
      '<p class="mwai-hint" role="status"></p></div>' : "") +
    '<label><span class="mwai-sr">Message</span>' +
    '<textarea rows="2" placeholder="Type a message" required></textarea></label>' +
    '<button type="submit">Send</button>' +
    '<button type="button" disabled>Stop</button>' +
    '<p class="mwai-hint">Enter sends; Shift+Enter starts a new line.</p></form>';
  const log = root.querySelector(".mwai-log");
  const keyForm = root.querySelector(".mwai-key");
  const keyInput = keyForm.querySelector("input");
  const form = root.querySelector(".mwai-form");
  const text = form.querySelector("textarea");
  const send = form.querySelector('button[type="submit"]');
  const stop = form.querySelector('button[type="button"]');
  const check = options.turnstileSiteKey ? mountCheck(form.querySelector(".mwai-check")) : null;
  // A chat behind a launcher (the embed) asks Cloudflare nothing until it is opened.
  if (check && !options.checkWhenOpened) check.start();
  if (check) text.addEventListener("focus", () => check.start());

  // The widget renders in the chat, or, for a chat in a shadow root, in options.checkSlot,
  // an element of the page slotted into the same place.
  function mountCheck(area) {
    const status = area.lastChild;
    let box = area.firstChild;
    if (options.checkSlot) {
      const slot = doc.createElement("slot");
      slot.name = options.checkSlot.slot;
      box.replaceWith(slot);
      box = options.checkSlot;
    }
    return turnstileCheck(area, box, options.turnstileSiteKey, (words) => {
      status.textContent = words;
    });
  }

  // sessionStorage throws where the browser blocks storage (some embedded contexts):
  // then the key lives as long as the page.
  function readKey() {
    try { return sessionStorage.getItem(options.storageKey) || memoryKey; } catch (_) { return memoryKey; }
  }
  function saveKey(key) {
    memoryKey = key;
    try { sessionStorage.setItem(options.storageKey, key); } catch (_) { /* see readKey */ }
  }

  // Where the log was last seen, by the reader or by follow(): the reader follows the text
  // again only by scrolling down to its end. A smooth scroll up from the end passes "near
  // the end" on its way, which must not count as that.
  let lastTop = log.scrollTop;
  function follow() {
    if (!following) return;
    log.scrollTop = log.scrollHeight;
    followedTop = lastTop = log.scrollTop;
  }
  log.addEventListener("scroll", () => {
    const top = log.scrollTop;
    if (Math.abs(top - followedTop) >= 1) {
      following = log.scrollHeight - top - log.clientHeight < 8 && top >= lastTop;
    }
    lastTop = top;
  });
  // A wheel turned up says it before the scroll event does, which may come after more text.
  log.addEventListener("wheel", (event) => {
    if (event.deltaY < 0) following = false;
  }, { passive: true });
  log.addEventListener("click", (event) => {
    const copy = event.target.closest(".mwai-copy");
    if (copy) copyCode(copy);
  });

  function bubble(role, content) {
    const item = doc.createElement("li");
    item.className = "mwai-" + role;
    const who = doc.createElement("span");
    who.className = "mwai-sr";
    who.textContent = role === "user" ? "You: " : "Answer: ";
    const body = doc.createElement("div");
    body.className = "mwai-text";
    body.textContent = content;
    const note = doc.createElement("span");
    note.className = "mwai-note";
    item.append(who, body, note);
    log.append(item);
    following = true; // a new turn brings the reader to it
    follow();
    return { item, body, note };
  }

  function setAnswering(on) {
    root.dataset.state = on ? "answering" : "idle";
    // A disabled button drops the focus: keep keyboard users in the chat.
    if (!on && root.getRootNode().activeElement === stop) text.focus();
    stop.disabled = !on;
    send.setAttribute("aria-disabled", String(on));
  }

  function finish(reply, state, words) {
    reply.item.dataset.state = state;
    reply.item.removeAttribute("aria-busy");
    if (state !== "done") reply.item.classList.add("mwai-" + state);
    reply.note.textContent = words;
    follow();
  }

  function wordsFor(status, detail) {
    const said = detail && typeof detail.message === "string" ? ": " + detail.message : "";
    if (status === 401) {
      return readKey()
        ? "The API key was refused. Enter the right key below, then send your message again."
        : "This chat needs an API key. Enter it below, then send your message again.";
    }
    if (status === 429) return "Too many requests right now; wait a moment and try again" + said;
    if (status === 403 && isCheck(detail)) return CHECK_AGAIN;
    if (status === 504) return "The chat service took too long to answer; please try again.";
    if (status >= 500) return "The chat service could not answer" + said;
    return "The message was not accepted" + said;
  }

  async function refusal(response) {
    let detail = null;
    try { detail = (await response.json()).error; } catch (_) { /* not the gateway's JSON */ }
    const error = new Error(wordsFor(response.status, detail));
    error.name = "ChatRefusal";
    error.status = response.status;
    // 403 only: a 503 turnstile_unavailable spent no token and refused no check.
    error.check = response.status === 403 && isCheck(detail);
    return error;
  }

  function isCheck(detail) {
    return Boolean(detail && /^turnstile_/.test(String(detail.code)));
  }

  function describe(error, started) {
    if (error && error.name === "ChatRefusal") return error.message;
    if (started) return "The answer was cut off before it was complete. Please try again.";
    return "Could not reach the chat service. Check your connection; if this keeps " +
      "happening, this site may not be allowed to use the service.";
  }

  function askForKey() {
    keyForm.hidden = false;
    keyInput.value = "";
    keyInput.focus();
  }

  async function ask(content) {
    history.push({ role: "user", content });
    bubble("user", content);
    const reply = bubble("assistant", "");
    const view = answerView(reply.body, follow);
    let answer = "";
    reply.item.dataset.state = "streaming";
    reply.item.setAttribute("aria-busy", "true");
    controller = new AbortController();
    setAnswering(true);
    let started = false;
    let responded = true;
    try {
      const headers = { "content-type": "application/json" };
      const key = readKey();
      if (key) headers.authorization = "Bearer " + key;
      else if (check) Object.assign(headers, check.headers());
      const body = options.model
        ? { model: options.model, chatId, messages: history }
        : { chatId, messages: history };
      responded = false;
      const response = await fetch(options.endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      responded = true;
      // Before the status: a refused answer may carry the pass its token earned.
      if (check) check.answered(response);
      if (!response.ok) throw await refusal(response);
      started = true;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        answer += chunk.value;
        view.write(chunk.value); // the view calls follow() once it has rendered
      }
      view.end();
      history.push({ role: "assistant", content: answer });
      finish(reply, "done", "");
    } catch (error) {
      view.end(); // shows the text the renderer still held
      // No answer came: a token it carried may have been spent all the same.
      if (check && !responded) check.spent();
      if (error && error.name === "AbortError") {
        // What was said before Stop stays in the history, as context for the next question.
        if (answer) history.push({ role: "assistant", content: answer });
        else history.pop();
        finish(reply, "stopped", "Stopped.");
      } else {
        history.pop(); // a failed turn is not sent again
        finish(reply, "failed", describe(error, started));
        // Refused before any text: the message waits in the box, to send again.
        if (!started && !text.value) text.value = content;
        if (error && error.status === 401) askForKey();
        if (error && error.check && check) check.refused();
      }
    } finally {
      controller = null;
      setAnswering(false);
    }
  }

  text.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    form.requestSubmit();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const content = text.value.trim();
    if (!content || controller) return;
    if (check && !readKey() && !check.ready()) {
      check.remind();
      return; // the message stays in the box
    }
    text.value = "";
    ask(content);
  });
  stop.addEventListener("click", () => controller && controller.abort());
  keyForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = keyInput.value.trim();
    if (!key) return;
    saveKey(key);
    keyForm.hidden = true;
    text.focus();
  });
  return {
    focus() {
      if (check) check.start();
      text.focus();
    },
  };
}
`;
