/**
 * A web application firewall in front of the site that lets through only the user agents
 * its owner allowed (Wordfence, ModSecurity, a host's bot filter): any other request gets
 * its 403 page before WordPress sees it.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import { statusLine } from "./wordpress_wire.ts";

const BLOCKED_PAGE = `<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>` +
  `<h1>Your access to this site has been limited by the site owner</h1></body></html>`;

/**
 * The firewall's 403 when `allowed` is set and the request's `User-Agent` does not match
 * it, else null (the request goes on).
 *
 * @example
 * ```ts
 * import { userAgentFilterAnswer } from "./user_agent_filter.ts";
 * userAgentFilterAnswer(new Headers({ "user-agent": "curl/8" }), /^mwai-edge\//) !== null; // true
 * ```
 */
export function userAgentFilterAnswer(
  headers: Headers,
  allowed: RegExp | null | undefined,
): AnswerStep[] | null {
  if (!allowed || allowed.test(headers.get("user-agent") ?? "")) return null;
  const head = [
    statusLine(403),
    `Date: ${new Date().toUTCString()}`,
    "Server: Apache",
    `Content-Length: ${BLOCKED_PAGE.length}`,
    "Content-Type: text/html; charset=UTF-8",
    "Connection: close",
  ];
  return [{ kind: "write", data: `${head.join("\r\n")}\r\n\r\n${BLOCKED_PAGE}` }];
}
