/**
 * The chat's Turnstile check, as browser JavaScript: `turnstileCheck(area, box, siteKey, say)`
 * returns what the chat asks of the check:
 *
 * - `start()`: loads Cloudflare's `api.js` once (explicit rendering, developers.cloudflare
 *   .com/turnstile/get-started/client-side-rendering/) and renders the widget in `box`
 *   (inside `area`, or slotted into it from outside a shadow root); again, it does nothing.
 *   Nothing reaches Cloudflare before it, so an embed that nobody opens asks for nothing;
 * - `ready()`: whether a message may go: the gateway's pass is held, or a token waits;
 * - `headers()`: the next message's header, `X-Gateway-Pass` while a pass stands, else the
 *   token in `X-Turnstile-Token`;
 * - `answered(response)`, for every response, refused ones too: keeps the `X-Gateway-Pass`
 *   it carries, in memory for the page's life, and hides `area` while it stands; the token
 *   it was given for is then spent, and the widget reset. An answer without a pass (a
 *   limit's 429, a refusal before the check) leaves the token for the next message;
 * - `spent()`: the token went with a request that brought no answer (Stop, a network
 *   error): the gateway may have spent it, so the widget is reset for a new one;
 * - `refused()`: a 403 `turnstile_*` refusal (a bad token, a pass no longer good): the
 *   pass is dropped, `area` shown and the widget reset for a new check;
 * - `remind()`: says `CHECK_AGAIN`, for a message sent before the check was done (unless
 *   the words say that the check could not load).
 *
 * `say(words)` shows the check's state in words ("" clears them). Like `CHAT_SCRIPT`, it
 * holds no backtick, no dollar-brace and no closing script tag.
 */
export const TURNSTILE_CHECK_SCRIPT: string = String.raw`
const TURNSTILE_API = "https://challenges.cloudflare.com/turnstile/v0/api.js";
const CHECK_AGAIN = "Please complete the check above the message box, then send your message " +
  "again.";
let turnstileLoad = null;

// One api.js a document: a site that loads it itself keeps its copy.
function loadTurnstile(doc) {
  const win = doc.defaultView;
  if (win.turnstile) return Promise.resolve(win.turnstile);
  if (turnstileLoad) return turnstileLoad;
  turnstileLoad = new Promise((resolve, reject) => {
    let script = doc.querySelector('script[src^="' + TURNSTILE_API + '"]');
    if (script) {
      // The site's own copy: one that failed before the chat came will never say so.
      setTimeout(() => reject(new Error("api.js took too long")), 20000);
    } else {
      script = doc.createElement("script");
      script.src = TURNSTILE_API + "?render=explicit";
      script.async = true;
      doc.head.append(script);
    }
    script.addEventListener("load", () => {
      if (win.turnstile) resolve(win.turnstile);
      else reject(new Error("api.js defined no turnstile"));
    });
    script.addEventListener("error", () => reject(new Error("api.js did not load")));
  });
  turnstileLoad.catch(() => { turnstileLoad = null; });
  return turnstileLoad;
}

function turnstileCheck(area, box, siteKey, say) {
  let turnstile = null;
  let widget = null;
  let token = "";
  let pass = "";
  let unloaded = false;
  let started = false;

  function start() {
    if (started) return;
    started = true;
    loadTurnstile(box.ownerDocument).then((api) => {
      turnstile = api;
      widget = api.render(box, {
        sitekey: siteKey,
        size: "flexible",
        callback: (value) => { token = value; say(""); },
        "expired-callback": () => { token = ""; },
        "error-callback": () => {
          token = "";
          say("The check could not be completed; reload the page if it does not try again.");
          return true; // handled: Turnstile would throw otherwise
        },
      });
    }).catch(() => {
      unloaded = true;
      say("The check could not load, so no message can be sent. Reload the page to try again.");
    });
  }

  function reset() {
    token = "";
    if (turnstile && widget !== null) turnstile.reset(widget);
  }
  return {
    start,
    ready: () => Boolean(pass || token),
    headers() {
      if (pass) return { "x-gateway-pass": pass };
      return token ? { "x-turnstile-token": token } : {};
    },
    answered(response) {
      const given = response.headers.get("x-gateway-pass");
      if (!given) return;
      pass = given;
      area.hidden = true;
      reset(); // the token is spent: a token is good for one siteverify
    },
    spent: reset,
    refused() {
      pass = "";
      area.hidden = false;
      reset();
      say(CHECK_AGAIN);
    },
    remind() {
      if (!unloaded) say(CHECK_AGAIN);
    },
  };
}
`;
