/**
 * `markdownFragment(doc, html, onGrow)`, as browser JavaScript: the HTML of
 * `markdown_html_script.ts` as a fragment of `doc`, made of fresh elements of an allowlist,
 * each with only the attributes Markdown gives it. The HTML is parsed in a `<template>`,
 * whose content is inert (nothing in it loads or runs), and copied element by element:
 *
 * - links only to absolute `http:`, `https:` and `mailto:` URLs, opening in a new tab without
 *   the opener or a referrer; any other link is its text alone;
 * - images only from absolute `http(s):` URLs, sent without a referrer, calling `onGrow` when
 *   they load; any other image is its alt text;
 * - a code block's language as its `language-…` class, and a Copy button beside it;
 * - table cells' `align`, an ordered list's `start`, a task's disabled checkbox.
 *
 * Any other element (none that micromark makes) becomes its children; any other attribute
 * is dropped. `copyCode(button)` is what a code block's Copy button does. Like `CHAT_SCRIPT`,
 * it holds no backtick, no dollar-brace and no closing script tag.
 */
export const MARKDOWN_DOM_SCRIPT: string = String.raw`
const LINK_PROTOCOLS = ["http:", "https:", "mailto:"];
const IMAGE_PROTOCOLS = ["http:", "https:"];
const MARKDOWN_TAGS = new Set(("P BR HR H1 H2 H3 H4 H5 H6 EM STRONG DEL CODE PRE A IMG UL OL " +
  "LI BLOCKQUOTE TABLE THEAD TBODY TR TH TD INPUT").split(" "));

// Absolute URLs only: a relative one would mean a different place on the page and in the
// widget (whose base is the host site).
function allowedUrl(value, protocols) {
  try {
    const url = new URL((value || "").trim());
    return protocols.includes(url.protocol) ? url.href : null;
  } catch (_) {
    return null;
  }
}

function markdownFragment(doc, html, onGrow) {
  const template = doc.createElement("template");
  template.innerHTML = html;
  const fragment = doc.createDocumentFragment();
  fragment.append(...safeChildren(doc, template.content, onGrow));
  return fragment;
}

function safeChildren(doc, parent, onGrow) {
  const nodes = [];
  for (const child of parent.childNodes) nodes.push(...safeNodes(doc, child, onGrow));
  return nodes;
}

function safeNodes(doc, node, onGrow) {
  if (node.nodeType === 3) return [doc.createTextNode(node.data)];
  if (node.nodeType !== 1) return [];
  const tag = node.tagName;
  const attribute = (name) => node.getAttribute(name);
  const children = () => safeChildren(doc, node, onGrow);
  if (!MARKDOWN_TAGS.has(tag)) return children();
  const el = doc.createElement(tag.toLowerCase());
  if (tag === "A") {
    const href = allowedUrl(attribute("href"), LINK_PROTOCOLS);
    if (!href) return children();
    el.href = href;
    el.rel = "noopener noreferrer";
    el.target = "_blank";
  } else if (tag === "IMG") {
    const src = allowedUrl(attribute("src"), IMAGE_PROTOCOLS);
    if (!src) return [doc.createTextNode(attribute("alt") || "")];
    el.alt = attribute("alt") || "";
    el.referrerPolicy = "no-referrer";
    el.addEventListener("load", onGrow);
    el.src = src;
  } else if (tag === "INPUT") {
    if (attribute("type") !== "checkbox") return [];
    el.type = "checkbox";
    el.disabled = true;
    el.defaultChecked = node.hasAttribute("checked"); // the attribute, as the HTML has it
    return [el];
  } else if (tag === "TH" || tag === "TD") {
    const align = attribute("align");
    if (/^(left|center|right)$/.test(align || "")) el.setAttribute("align", align);
  } else if (tag === "OL") {
    const start = parseInt(attribute("start"), 10);
    if (start >= 0) el.start = start;
  } else if (tag === "CODE") {
    const language = attribute("class");
    if (language && /^language-[\w.+#-]+$/.test(language)) el.className = language;
  }
  const title = attribute("title");
  if (title && (tag === "A" || tag === "IMG")) el.title = title;
  el.append(...children());
  return tag === "PRE" ? [codeBox(doc, el)] : [el];
}

function codeBox(doc, pre) {
  const box = doc.createElement("div");
  box.className = "mwai-code";
  const copy = doc.createElement("button");
  copy.type = "button";
  copy.className = "mwai-copy";
  copy.textContent = "Copy";
  copy.setAttribute("aria-label", "Copy code");
  box.append(copy, pre);
  return box;
}

function copyCode(button) {
  const code = button.parentElement.querySelector("code");
  const say = (words) => {
    button.textContent = words;
    button.setAttribute("aria-label", words === "Copy" ? "Copy code" : words);
  };
  // navigator.clipboard exists only in secure contexts (https, localhost).
  const clipboard = navigator.clipboard;
  // The code's lines, without the line ending CommonMark keeps after the last.
  const lines = code.textContent.replace(/\n$/, "");
  const copied = clipboard ? clipboard.writeText(lines) : Promise.reject();
  copied.then(() => say("Copied"), () => say("Copy failed")).then(() => {
    setTimeout(() => say("Copy"), 2000);
  });
}
`;
