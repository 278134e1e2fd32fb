/**
 * `closeUnfinished(text)`, as browser JavaScript: the text of an answer's last block while it
 * still streams, made to show as it will once complete, so that nothing shows as raw syntax
 * first and jumps later. An opener whose closer has not come yet is closed (`**bold` shows
 * bold, `` `code `` as code, `[a link](https://ex` as a link), a partial line of nothing but
 * markup (`- `, `#`, a table's `|--`) waits, and so does a table's header row until its
 * delimiter row says it is one. Only ever applied to a block still streaming: the whole
 * answer is rendered exactly once it ends. Underscores are left alone (`snake_case`).
 *
 * Like `CHAT_SCRIPT`, it holds no backtick, no dollar-brace and no closing script tag.
 */
export const UNFINISHED_MARKDOWN_SCRIPT: string = String.raw`
// A line of only list bullets, heading hashes, quote marks, fences, rules or table pipes.
const MARKUP_ONLY = /^[ \t]*(\d{1,9}[.)]?)?[-+*#>=_|:~\u0060 \t]*$/;
const FENCE_START = /^ {0,3}(\u0060\u0060\u0060|~~~)/;
const TABLE_HEAD_ONLY = /^ {0,3}\|[^\n]*\n?$/;
const OPEN_LINK = /\[[^\]\n]*\]\([^()\s]*$/;

function closeUnfinished(text) {
  const lineStart = text.lastIndexOf("\n") + 1;
  let line = text.slice(lineStart);
  // A fence's first line waits for its end: its info string is no text.
  if (MARKUP_ONLY.test(line) || FENCE_START.test(line)) {
    const before = text.slice(0, lineStart);
    return TABLE_HEAD_ONLY.test(before) ? "" : before;
  }
  if (FENCE_START.test(text)) return text; // code shows as it comes
  if (TABLE_HEAD_ONLY.test(text)) return "";
  // A run of markers at the end is an opener with nothing in it yet, or part of a closer;
  // spaces at the end show nothing, and a closer after one would close nothing.
  line = line.replace(/[\s*~\u0060]+$/, "");
  return text.slice(0, lineStart) + line + closers(line);
}

function closers(line) {
  // Closed code spans say nothing about emphasis; an open one holds the rest of the line.
  let scan = line.replace(/\u0060[^\u0060]*\u0060/g, (span) => " ".repeat(span.length));
  const code = scan.indexOf("\u0060");
  if (code >= 0) scan = scan.slice(0, code);
  const open = [];
  for (const mark of ["**", "~~"]) {
    const at = openAt(scan, mark);
    if (at >= 0) open.push([at, mark]);
  }
  const single = scan.replace(/\*\*/g, "  ");
  const star = openAt(single.replace(/(^|\s)\*(?=\s)/g, "$1 "), "*");
  if (star >= 0) open.push([star, "*"]);
  open.sort((a, b) => b[0] - a[0]); // the last opened closes first
  let close = code >= 0 ? "\u0060" : "";
  if (code < 0 && OPEN_LINK.test(line)) close += ")";
  return close + open.map(([, mark]) => mark).join("");
}

// Where the unclosed one of an odd number of marks is, or -1 when they pair up.
function openAt(scan, mark) {
  const parts = scan.split(mark);
  if (parts.length % 2 === 1) return -1;
  return scan.lastIndexOf(mark);
}
`;
