/**
 * Answers from in front of WordPress: a CDN's bot challenge or its error page.
 * They come before WordPress looks at the request (no nonce check, no REST
 * headers), asked for with `__fake:html403` or `__fake:html503` in the message.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import { statusLine } from "./wordpress_wire.ts";
import { DEFAULT_REDIRECT_TARGET, redirectAnswer } from "./hostile_site.ts";

const CHALLENGE_PAGE = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>` +
  `<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">` +
  `<meta name="robots" content="noindex,nofollow"></head><body>` +
  `<div class="main-wrapper" role="main"><div class="main-content">` +
  `<h1 class="zone-name-title h1">127.0.0.1</h1>` +
  `<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>` +
  `<noscript><div class="h2">Enable JavaScript and cookies to continue</div></noscript>` +
  `</div></div><script>(function(){window._cf_chl_opt={cType: 'managed'};}());</script>` +
  `</body></html>`;

const UNAVAILABLE_PAGE = `<!DOCTYPE html><html lang="en-US"><head>` +
  `<title>127.0.0.1 | 503: Service temporarily unavailable</title></head><body>` +
  `<div id="cf-error-details"><h1>Service temporarily unavailable</h1>` +
  `<span class="code-label">Error code 503</span>` +
  `<p>The server is temporarily unable to service your request. Please try again later.</p>` +
  `</div></body></html>`;

/**
 * The edge's answer when `message` names an edge fault, else null; `__fake:redirect:<status>`
 * is the web server's redirect to `redirectTo`.
 *
 * @example
 * ```ts
 * import { edgeFaultAnswer } from "./edge_faults.ts";
 * edgeFaultAnswer("hi __fake:html403") !== null; // true
 * edgeFaultAnswer("hi") === null; // true
 * ```
 */
export function edgeFaultAnswer(
  message: string,
  redirectTo: string = DEFAULT_REDIRECT_TARGET,
): AnswerStep[] | null {
  const redirect = /__fake:redirect:(3\d\d)\b/.exec(message);
  if (redirect) return redirectAnswer(Number(redirect[1]), redirectTo);
  const match = /__fake:(html403|html503)\b/.exec(message);
  if (!match) return null;
  const challenge = match[1] === "html403";
  const head = [
    statusLine(challenge ? 403 : 503),
    `Date: ${new Date().toUTCString()}`,
    "Content-Type: text/html; charset=UTF-8",
    "Connection: close",
    ...(challenge ? ["cf-mitigated: challenge"] : []),
    "Cache-Control: private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0",
    "Expires: Thu, 01 Jan 1970 00:00:01 GMT",
    "Server: cloudflare",
    "CF-RAY: 8f1c2a3b4d5e6f70-CDG",
  ];
  const page = challenge ? CHALLENGE_PAGE : UNAVAILABLE_PAGE;
  return [{ kind: "write", data: `${head.join("\r\n")}\r\n\r\n${page}` }];
}
