/**
 * What a WordPress site answers when the REST API does not get to answer: a PHP fatal
 * error (WordPress's "critical error" answer) or an HTML page in place of the JSON
 * (a security or caching plugin serving the home page).
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import type { PhpHead } from "./site_framing.ts";
import { CRITICAL_ERROR_JSON, wholeAnswer, wordpressHead } from "./wordpress_wire.ts";

/** What the error pages need to know of the request. */
export interface PageContext {
  siteUrl: string;
  headers: Headers;
}

/**
 * A PHP fatal error during a REST request: WordPress's fatal error handler answers
 * 500 through `wp_die`, in JSON when the request asked for JSON (`wp_is_json_request`:
 * its Accept or Content-Type says JSON), else as its HTML error page.
 *
 * @example
 * ```ts
 * import { criticalErrorAnswer } from "./wordpress_pages.ts";
 * const [head] = criticalErrorAnswer({ siteUrl: "http://127.0.0.1:8080", headers: new Headers() });
 * head?.kind === "head" && head.head.status; // 500
 * ```
 */
export function criticalErrorAnswer(context: PageContext): AnswerStep[] {
  const wantsJson = [context.headers.get("accept"), context.headers.get("content-type")]
    .some((value) => value?.toLowerCase().includes("json"));
  if (wantsJson) {
    const head = wordpressHead({
      status: 500,
      siteUrl: context.siteUrl,
      body: "json",
      nocache: true,
    });
    return wholeAnswer(head, CRITICAL_ERROR_JSON);
  }
  return wholeAnswer(htmlHead(500, context), CRITICAL_ERROR_PAGE);
}

/**
 * The site's home page, 200 `text/html`, where a client expected REST JSON.
 *
 * @example
 * ```ts
 * import { homePageAnswer } from "./wordpress_pages.ts";
 * const [, page] = homePageAnswer({ siteUrl: "http://h", headers: new Headers() });
 * page?.kind === "flush" && String(page.echoes[0]).includes("<!DOCTYPE html>"); // true
 * ```
 */
export function homePageAnswer(context: PageContext): AnswerStep[] {
  const page = `<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8" />\n` +
    `<title>Emulated AI Engine site</title>\n` +
    `<link rel="https://api.w.org/" href="${context.siteUrl}/wp-json/" />\n</head>\n` +
    `<body class="home blog">\n<h1>Emulated AI Engine site</h1>\n<p>Just another WordPress site</p>\n` +
    `</body>\n</html>\n`;
  return wholeAnswer(htmlHead(200, context), page);
}

function htmlHead(status: number, context: PageContext): PhpHead {
  return {
    status,
    headers: [
      ["Content-Type", "text/html; charset=UTF-8"],
      ["Link", `<${context.siteUrl}/wp-json/>; rel="https://api.w.org/"`],
    ],
  };
}

const CRITICAL_ERROR_PAGE = `<!DOCTYPE html>
<html lang="en-US">
<head>
\t<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
\t<meta name="viewport" content="width=device-width">
\t<title>WordPress &rsaquo; Error</title>
</head>
<body id="error-page">
\t<div class="wp-die-message"><p>There has been a critical error on this website.</p>` +
  `<p><a href="https://wordpress.org/support/article/faq-troubleshooting/">` +
  `Learn more about troubleshooting WordPress.</a></p></div></body>
</html>
`;
