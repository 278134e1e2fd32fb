/**
 * The chat's styles, shared by the page at `/` and the widget of `/embed.js` (where
 * they live inside a shadow root, so the host site's CSS neither reaches them nor is
 * reached by them). Every class starts with `mwai-`, so on the page they collide with
 * nothing either.
 */
export const CHAT_STYLE = `
.mwai-chat { display: flex; flex-direction: column; gap: .5rem; min-height: 0;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f1f1f; }
.mwai-chat *, .mwai-chat *::before, .mwai-chat *::after { box-sizing: border-box; }
.mwai-log { flex: 1; min-height: 6rem; overflow-y: auto; list-style: none; margin: 0;
  padding: 0; overflow-wrap: anywhere; }
.mwai-log > li { margin: .5rem 0; padding: .5rem .75rem; border-radius: .6rem;
  width: fit-content; max-width: calc(100% - 2rem); }
.mwai-user .mwai-text { white-space: pre-wrap; }
.mwai-text > :first-child { margin-top: 0; }
.mwai-text > :last-child { margin-bottom: 0; }
.mwai-text p, .mwai-text ul, .mwai-text ol, .mwai-text blockquote, .mwai-text table,
  .mwai-code { margin: .5rem 0; }
.mwai-text ul, .mwai-text ol { padding-left: 1.5rem; }
.mwai-text ul { list-style: disc; }
.mwai-text h1, .mwai-text h2, .mwai-text h3, .mwai-text h4, .mwai-text h5, .mwai-text h6 {
  font-size: 1.05rem; margin: .75rem 0 .25rem; }
.mwai-text a[href] { color: #1a4fb5; }
.mwai-text img { max-width: 100%; height: auto; }
.mwai-text blockquote { margin-left: 0; padding-left: .75rem; border-left: 3px solid #b0b4b8; }
.mwai-text table { display: block; overflow-x: auto; border-collapse: collapse; }
.mwai-text th, .mwai-text td { border: 1px solid #b0b4b8; padding: .25rem .5rem; }
.mwai-text [align="left"] { text-align: left; } .mwai-text [align="center"] { text-align: center; }
.mwai-text [align="right"] { text-align: right; }
.mwai-text li > input[type="checkbox"] { width: auto; padding: 0; margin: 0 .35em 0 0;
  vertical-align: middle; }
.mwai-text li:has(> input[type="checkbox"]:first-child) { list-style: none; }
.mwai-text code { font: .875em/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  background: #e1e4e6; padding: .1em .3em; border-radius: .25rem; }
.mwai-code { position: relative; }
.mwai-code pre { margin: 0; padding: 2.25rem .75rem .75rem; overflow-x: auto; border-radius: .4rem;
  background: #1f2328; color: #f4f5f6; }
.mwai-code code { background: none; padding: 0; white-space: pre; overflow-wrap: normal; }
.mwai-chat .mwai-copy { position: absolute; top: .3rem; right: .3rem; min-height: 1.75rem;
  padding: .2rem .6rem; font-size: .8rem; }
.mwai-log .mwai-user { background: #e8f0fe; margin-left: auto; }
.mwai-log .mwai-assistant { background: #f1f3f4; }
.mwai-log .mwai-failed { background: #fde7e9; }
.mwai-log .mwai-stopped { background: #f6f1e3; }
.mwai-note { display: block; margin-top: .25rem; font-style: italic; color: #5f1a1f; }
.mwai-stopped .mwai-note { color: #5c4a12; }
.mwai-note:empty { display: none; }
.mwai-form, .mwai-key { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
.mwai-form label, .mwai-key label { flex: 1 1 12rem; display: flex; flex-direction: column; }
.mwai-chat textarea, .mwai-chat input { font: inherit; padding: .5rem; width: 100%;
  border: 1px solid #767676; border-radius: .4rem; color: inherit; background: #fff; }
.mwai-chat textarea { resize: vertical; min-height: 2.75rem; }
.mwai-chat button { font: inherit; padding: .5rem 1rem; border-radius: .4rem; cursor: pointer;
  border: 1px solid #1a4fb5; background: #1a56c9; color: #fff; min-height: 2.75rem; }
.mwai-chat button[type="button"] { background: #fff; color: #1a4fb5; }
.mwai-chat button:disabled { opacity: .45; cursor: default; }
.mwai-chat :focus-visible { outline: 3px solid #f29900; outline-offset: 2px; }
.mwai-hint { margin: 0; font-size: .875rem; color: #444; flex-basis: 100%; }
.mwai-check { flex-basis: 100%; display: flex; flex-direction: column; gap: .25rem; }
.mwai-check .mwai-hint:empty { display: none; }
.mwai-sr { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
[hidden] { display: none !important; }
`;
