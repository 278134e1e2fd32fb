/**
 * Markdown to HTML, as browser JavaScript, on the vendored micromark (`var micromark`, from
 * `markdown_vendor.ts`): CommonMark with GFM's autolink literals, strikethrough, tables and
 * task list items.
 *
 * - `markdownHtml(text)`: the HTML of `text`. micromark's defaults make it safe to parse:
 *   raw HTML in the text comes out escaped, and a link or image whose protocol is not
 *   http(s), mailto (links) or http(s) (images) gets an empty URL. `markdown_dom_script.ts`
 *   still checks every element and attribute it keeps.
 * - `lastBlockStart(text)`: where the last top-level block begins (the start of its line)
 *   among the complete lines of `text`, or 0. Every block before it is closed: CommonMark
 *   never reopens a block once a later one has begun, so the blocks before it render the
 *   same whatever text follows (save reference definitions, which only a whole render sees).
 *
 * Like `CHAT_SCRIPT`, it holds no backtick, no dollar-brace and no closing script tag.
 */
export const MARKDOWN_HTML_SCRIPT: string = String.raw`
const MARKDOWN_OPTIONS = {
  extensions: [micromark.gfmAutolinkLiteral(), micromark.gfmStrikethrough(),
    micromark.gfmTable(), micromark.gfmTaskListItem()],
  htmlExtensions: [micromark.gfmAutolinkLiteralHtml(), micromark.gfmStrikethroughHtml(),
    micromark.gfmTableHtml(), micromark.gfmTaskListItemHtml()],
};

function markdownEvents(text) {
  const chunks = micromark.preprocess()(text, undefined, true);
  return micromark.postprocess(micromark.parse(MARKDOWN_OPTIONS).document().write(chunks));
}

function markdownHtml(text) {
  return micromark.compile(MARKDOWN_OPTIONS)(markdownEvents(text));
}

// Tokens at the top level that are no block: the line endings and blank lines between them.
const BETWEEN_BLOCKS = /^(lineEnding|lineEndingBlank|blankLine|linePrefix|whitespace)$/;

function lastBlockStart(text) {
  // A partial last line could still start a block or not ("#" then "#x"): left out.
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  let depth = 0;
  let start = 0;
  for (const [kind, token] of markdownEvents(complete)) {
    if (kind === "exit") {
      depth--;
      continue;
    }
    if (depth === 0 && !BETWEEN_BLOCKS.test(token.type)) start = token.start.offset;
    depth++;
  }
  return complete.lastIndexOf("\n", start - 1) + 1;
}
`;
