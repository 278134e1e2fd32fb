/**
 * HTTP basic auth in front of a staging site, as Apache's `AuthType Basic` (or nginx's
 * `auth_basic`) puts it: a request without the right `Authorization` never reaches
 * WordPress and gets the web server's own 401 page.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import { statusLine } from "./wordpress_wire.ts";

const UNAUTHORIZED_PAGE = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n` +
  `<title>401 Unauthorized</title>\n</head><body>\n<h1>Unauthorized</h1>\n` +
  `<p>This server could not verify that you\nare authorized to access the document\n` +
  `requested.</p>\n</body></html>\n`;

/**
 * The web server's 401 when `required` credentials are set and `headers` lack them, else
 * null (the request goes on to WordPress).
 *
 * @example
 * ```ts
 * import { basicAuthAnswer } from "./basic_auth.ts";
 * const required = { user: "ann", password: "pw" };
 * basicAuthAnswer(new Headers(), required) !== null; // true
 * basicAuthAnswer(new Headers({ authorization: `Basic ${btoa("ann:pw")}` }), required); // null
 * ```
 */
export function basicAuthAnswer(
  headers: Headers,
  required: { user: string; password: string } | null | undefined,
): AnswerStep[] | null {
  if (!required) return null;
  const expected = new TextEncoder().encode(`${required.user}:${required.password}`);
  if (headers.get("authorization") === `Basic ${btoa(String.fromCharCode(...expected))}`) {
    return null;
  }
  const head = [
    statusLine(401),
    `Date: ${new Date().toUTCString()}`,
    "Server: Apache",
    'WWW-Authenticate: Basic realm="Staging"',
    `Content-Length: ${UNAUTHORIZED_PAGE.length}`,
    "Content-Type: text/html; charset=iso-8859-1",
    "Connection: close",
  ];
  return [{ kind: "write", data: `${head.join("\r\n")}\r\n\r\n${UNAUTHORIZED_PAGE}` }];
}
