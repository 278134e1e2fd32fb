/**
 * How the chat shows an answer, as browser JavaScript: `answerView(body, onGrow)` renders
 * the Markdown of AI Engine's answers (lists, code, links, image bots' `![Image](…)`) into
 * `body` as it streams, with the vendored streaming-markdown (`var smd`, from
 * `markdown_vendor.ts`), and returns `{ write(text), end() }`. `copyCode(button)` is what a
 * code block's Copy button does.
 *
 * smd builds the DOM node by node and only appends, so nothing is re-rendered as text comes
 * in: the reader's selection and scroll position stay. It never parses HTML: raw HTML in an
 * answer stays text. The hooks below decide what else may reach the page: links only to
 * http(s) and mailto, opening in a new tab without the opener or a referrer; images only
 * from http(s); an image whose source is refused shows its alt text instead.
 *
 * Like `CHAT_SCRIPT`, it holds no backtick, no dollar-brace and no closing script tag.
 */
export const ANSWER_VIEW_SCRIPT: string = String.raw`
const LINK_PROTOCOLS = ["http:", "https:", "mailto:"];
const IMAGE_PROTOCOLS = ["http:", "https:"];

// Absolute URLs only: a relative one would mean a different place on the page and in the
// widget (whose base is the host site).
function allowedUrl(value, protocols) {
  try {
    const url = new URL(value.trim());
    return protocols.includes(url.protocol) ? url.href : null;
  } catch (_) {
    return null;
  }
}

function answerView(body, onGrow) {
  const doc = body.ownerDocument;
  const renderer = smd.default_renderer(body);
  const current = (data) => data.nodes[data.index];
  renderer.add_token = (data, type) => {
    smd.default_add_token(data, type);
    const node = current(data);
    if (node.tagName === "A") {
      node.rel = "noopener noreferrer";
      node.target = "_blank";
    } else if (node.tagName === "IMG") {
      node.addEventListener("load", onGrow);
    } else if (node.tagName === "CODE" && node.parentElement.tagName === "PRE") {
      const box = doc.createElement("div");
      box.className = "mwai-code";
      const copy = doc.createElement("button");
      copy.type = "button";
      copy.className = "mwai-copy";
      copy.textContent = "Copy";
      copy.setAttribute("aria-label", "Copy code");
      const pre = node.parentElement;
      pre.replaceWith(box);
      box.append(copy, pre);
    }
  };
  renderer.add_text = (data, text) => {
    const node = current(data);
    if (node.tagName === "IMG") node.alt += text;
    else smd.default_add_text(data, text);
  };
  renderer.end_token = (data) => {
    const node = current(data);
    if (node.tagName === "IMG" && !node.hasAttribute("src")) node.replaceWith(node.alt);
    smd.default_end_token(data);
  };
  renderer.set_attr = (data, type, value) => {
    const node = current(data);
    if (type === smd.HREF) {
      const url = allowedUrl(value, LINK_PROTOCOLS);
      if (url) node.href = url; // else an <a> without href: plain text
    } else if (type === smd.SRC) {
      const url = allowedUrl(value, IMAGE_PROTOCOLS);
      if (!url) return;
      node.referrerPolicy = "no-referrer";
      node.src = url;
    } else if (type === smd.START) {
      const start = parseInt(value, 10);
      if (start >= 0) node.start = start;
    } else if (type === smd.CHECKED) {
      node.checked = true;
    }
    // A code fence's language (smd.LANG) would become a class named by the answer: left out.
  };
  const parser = smd.parser(renderer);
  return {
    write: (text) => smd.parser_write(parser, text),
    end: () => smd.parser_end(parser),
  };
}

function copyCode(button) {
  const code = button.parentElement.querySelector("code");
  const say = (words) => {
    button.textContent = words;
    button.setAttribute("aria-label", words === "Copy" ? "Copy code" : words);
  };
  // navigator.clipboard exists only in secure contexts (https, localhost).
  const clipboard = navigator.clipboard;
  const copied = clipboard ? clipboard.writeText(code.textContent) : Promise.reject();
  copied.then(() => say("Copied"), () => say("Copy failed")).then(() => {
    setTimeout(() => say("Copy"), 2000);
  });
}
`;
