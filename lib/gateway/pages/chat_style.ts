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
.mwai-log li { margin: .5rem 0; padding: .5rem .75rem; border-radius: .6rem; white-space: pre-wrap;
  width: fit-content; max-width: calc(100% - 2rem); }
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
.mwai-sr { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
[hidden] { display: none !important; }
`;
