/**
 * The status and headers WordPress 6.1 on PHP 8.2 sets around every REST answer, in the
 * order the recordings show them, and the core error bodies the plugin's routes meet.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import { phpJsonEncode } from "./php_json.ts";
import type { PhpHead } from "./site_framing.ts";

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  301: "Moved Permanently",
  302: "Found",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/**
 * The status line for `status`, as PHP writes it.
 *
 * @example
 * ```ts
 * import { statusLine } from "./wordpress_wire.ts";
 * statusLine(403); // "HTTP/1.1 403 Forbidden"
 * ```
 */
export function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Unknown"}`;
}

/** What shapes the head of one WordPress answer. */
export interface HeadSpec {
  status: number;
  siteUrl: string;
  /** `json`: the REST server's Content-Type; `sse`: the plugin replaced it to stream. */
  body: "json" | "sse";
  /** The plugin ran `session_start()` (URIs with `/mwai/`); a new id means a new cookie. */
  phpSession?: { newId: string | null };
  /** WordPress core verified a nonce and repeats the current one. */
  wpNonce?: string | undefined;
  /** WordPress core adds this to GET answers without an Origin. */
  varyOrigin?: boolean;
  /** A new `mwai_session_id`, set when the request carried none. */
  sessionCookie?: string | undefined;
  /** `rest_send_nocache_headers`, sent with `rest_cookie_invalid_nonce`. */
  nocache?: boolean;
  allow?: string;
}

/**
 * The status and the headers WordPress (and the plugin) set for a REST answer, in the
 * order the recordings show them; the web server adds its own (see `site_framing.ts`).
 *
 * @example
 * ```ts
 * import { wordpressHead } from "./wordpress_wire.ts";
 * const head = wordpressHead({ status: 401, siteUrl: "http://127.0.0.1:8080", body: "json" });
 * head.headers[0]; // ["Content-Type", "application/json; charset=UTF-8"]
 * ```
 */
export function wordpressHead(spec: HeadSpec): PhpHead {
  const headers: [string, string][] = [];
  const add = (name: string, value: string) => headers.push([name, value]);
  if (spec.phpSession) {
    if (spec.phpSession.newId) add("Set-Cookie", `PHPSESSID=${spec.phpSession.newId}; path=/`);
    // session_start()'s cache limiter; WordPress's nocache headers replace two of them.
    if (!spec.nocache) {
      add("Expires", "Thu, 19 Nov 1981 08:52:00 GMT");
      add("Cache-Control", "no-store, no-cache, must-revalidate");
    }
    add("Pragma", "no-cache");
  }
  if (spec.body === "json") add("Content-Type", "application/json; charset=UTF-8");
  add("X-Robots-Tag", "noindex");
  add("Link", `<${spec.siteUrl}/wp-json/>; rel="https://api.w.org/"`);
  add("X-Content-Type-Options", "nosniff");
  add("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link");
  add(
    "Access-Control-Allow-Headers",
    "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type",
  );
  if (spec.wpNonce) add("X-WP-Nonce", spec.wpNonce);
  if (spec.varyOrigin) add("Vary", "Origin");
  if (spec.sessionCookie) {
    add("Set-Cookie", `mwai_session_id=${spec.sessionCookie}; path=/; HttpOnly`);
  }
  if (spec.nocache) {
    add("Expires", "Wed, 11 Jan 1984 05:00:00 GMT");
    add("Cache-Control", "no-cache, must-revalidate, max-age=0");
  }
  if (spec.allow) add("Allow", spec.allow);
  // The plugin's header() calls: PHP appends the default charset to the Content-type.
  if (spec.body === "sse") {
    add("Cache-Control", "no-cache");
    add("Content-type", "text/event-stream;charset=UTF-8");
    add("X-Accel-Buffering", "no");
  }
  return { status: spec.status, headers };
}

/**
 * A whole answer at once: PHP's head, then the body (JSON, a page) echoed in one flush.
 *
 * @example
 * ```ts
 * import { REST_NO_ROUTE, wordpressHead, wholeAnswer } from "./wordpress_wire.ts";
 * const head = wordpressHead({ status: 404, siteUrl: "http://127.0.0.1:8080", body: "json" });
 * wholeAnswer(head, REST_NO_ROUTE).length; // 2
 * ```
 */
export function wholeAnswer(head: PhpHead, body: string): AnswerStep[] {
  return [{ kind: "head", head }, { kind: "flush", echoes: [body] }];
}

/** WordPress core's answer when no route matches the URL and method. */
export const REST_NO_ROUTE = phpJsonEncode({
  code: "rest_no_route",
  message: "No route was found matching the URL and request method.",
  data: { status: 404 },
});

/** A permission callback said no to a visitor (the submit route without X-WP-Nonce). */
export const REST_FORBIDDEN = phpJsonEncode({
  code: "rest_forbidden",
  message: "Sorry, you are not allowed to do that.",
  data: { status: 401 },
});

/** WordPress core refused the nonce (`_wpnonce` or X-WP-Nonce) before any route ran. */
export const REST_COOKIE_INVALID_NONCE = phpJsonEncode({
  code: "rest_cookie_invalid_nonce",
  message: "Cookie check failed",
  data: { status: 403 },
});

/** A body sent as `application/json` that `json_decode` cannot read. */
export const REST_INVALID_JSON = phpJsonEncode({
  code: "rest_invalid_json",
  message: "Invalid JSON body passed.",
  data: { status: 400, json_error_code: 4, json_error_message: "Syntax error" },
});

/** WordPress 6.1's fatal-error answer to a JSON request (`_json_wp_die_handler`). */
export const CRITICAL_ERROR_JSON = phpJsonEncode({
  code: "internal_server_error",
  message: "<p>There has been a critical error on this website.</p>" +
    '<p><a href="https://wordpress.org/support/article/faq-troubleshooting/">' +
    "Learn more about troubleshooting WordPress.</a></p>",
  data: { status: 500 },
  additional_errors: [],
});

let lastUniqid = 0;

/**
 * PHP's `uniqid()`: 8 hex digits of seconds and 5 of microseconds, 13 in all; the
 * plugin uses it for `mwai_session_id`. Strictly increasing within this process.
 *
 * @example
 * ```ts
 * import { uniqid } from "./wordpress_wire.ts";
 * /^[0-9a-f]{13}$/.test(uniqid()); // true
 * ```
 */
export function uniqid(): string {
  const micros = Math.max(
    Math.floor((performance.timeOrigin + performance.now()) * 1000),
    lastUniqid + 1,
  );
  lastUniqid = micros;
  const seconds = Math.floor(micros / 1e6);
  return seconds.toString(16).padStart(8, "0") + (micros % 1e6).toString(16).padStart(5, "0");
}

/**
 * A new PHP session id: 26 characters of `0-9a-v` (5 bits each), as PHP 8 makes them.
 *
 * @example
 * ```ts
 * import { phpSessionId } from "./wordpress_wire.ts";
 * phpSessionId().length; // 26
 * ```
 */
export function phpSessionId(): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuv";
  return Array.from(crypto.getRandomValues(new Uint8Array(26)), (b) => alphabet[b % 32]).join("");
}
