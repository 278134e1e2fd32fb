/**
 * How the chat shows an answer, as browser JavaScript: `answerView(body, onGrow)` renders
 * the Markdown of AI Engine's answers into `body` as it streams (CommonMark and GFM, with
 * `markdownHtml` and `markdownFragment`) and returns `{ write(text), end() }`; `onGrow` is
 * called after each render.
 *
 * Streaming without flicker and without quadratic cost: the blocks that a later block has
 * closed are rendered once and kept; only the last block is rendered again as text comes,
 * with what it still lacks closed (`closeUnfinished`), and the DOM is patched, not replaced
 * (`morph`), so text nodes, images and a selection stay. At most 20 renders a second, and
 * renders take about a thirtieth of the time at most: after a render of d ms, the next
 * waits 30·d ms (but never over 250 ms, so that a slow first render, compiling the parser,
 * still lets text in). The rest of the page's work (reading the stream, painting) fits in
 * the rest of a tenth.
 * `end()` renders the whole answer once more, exactly (a reference definition may link a
 * citation in an earlier block); the patch changes only what that changes.
 *
 * Like `CHAT_SCRIPT`, it holds no backtick, no dollar-brace and no closing script tag.
 */
export const ANSWER_VIEW_SCRIPT: string = String.raw`
function answerView(body, onGrow) {
  const doc = body.ownerDocument;
  let text = "";
  let settled = 0; // text.slice(0, settled) shows as body's first kept children, for good
  let kept = 0;
  let looked = 0; // text.slice(0, looked) is the complete lines of the last look for blocks
  let timer = null;
  let due = 0;

  function render() {
    timer = null;
    const started = performance.now();
    const tail = text.slice(settled);
    // A block closes only when a later one begins on a new line: without a new line since
    // the last look, the blocks are as they were.
    const lines = text.lastIndexOf("\n") + 1;
    const cut = lines > looked ? lastBlockStart(tail) : 0;
    looked = lines;
    const fresh = doc.createDocumentFragment();
    if (cut > 0) fresh.append(markdownFragment(doc, markdownHtml(tail.slice(0, cut)), onGrow));
    const closed = fresh.childNodes.length;
    fresh.append(markdownFragment(doc, markdownHtml(closeUnfinished(tail.slice(cut))), onGrow));
    morph(body, fresh, kept);
    settled += cut;
    kept += closed;
    onGrow(); // the chat scrolls to the end: a layout, so part of the render's cost
    const ended = performance.now();
    due = ended + Math.min(250, Math.max(50, 30 * (ended - started)));
  }

  return {
    write(piece) {
      text += piece;
      if (timer === null) timer = setTimeout(render, Math.max(0, due - performance.now()));
    },
    end() {
      clearTimeout(timer);
      timer = null;
      morph(body, markdownFragment(doc, markdownHtml(text), onGrow), 0);
      settled = text.length;
      kept = body.childNodes.length;
      onGrow();
    },
  };
}

// Makes parent's children from index from on look like fresh's, keeping every node that
// is of the same kind: text changes in place, attributes are set or removed one by one.
// A Copy button keeps its state.
function morph(parent, fresh, from) {
  const nodes = Array.from(fresh.childNodes);
  nodes.forEach((node, i) => {
    const old = parent.childNodes[from + i];
    if (!old) parent.append(node);
    else if (old.nodeName !== node.nodeName) old.replaceWith(node);
    else if (node.nodeType === 3) {
      if (old.data !== node.data) old.data = node.data;
    } else if (node.nodeName !== "BUTTON") {
      morphAttributes(old, node);
      morph(old, node, 0);
    }
  });
  while (parent.childNodes.length > from + nodes.length) parent.lastChild.remove();
}

function morphAttributes(old, node) {
  for (const name of old.getAttributeNames()) {
    if (!node.hasAttribute(name)) old.removeAttribute(name);
  }
  for (const name of node.getAttributeNames()) {
    const value = node.getAttribute(name);
    if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  }
  if (node.nodeName === "INPUT") old.checked = node.checked;
}
`;
