import assert from "node:assert/strict";
import { CHAT_SCRIPT } from "../../../lib/gateway/pages/chat_script.ts";

Deno.test("the chat script is JavaScript that declares mountChat", () => {
  const mountChat = new Function("document", `${CHAT_SCRIPT}\nreturn mountChat;`)({
    createElement: () => ({}),
  });
  assert.equal(typeof mountChat, "function");
});

Deno.test("the chat script can sit in an inline script: no closing tag, no comment opener", () => {
  assert.ok(!/<\/script|<!--/i.test(CHAT_SCRIPT));
});
