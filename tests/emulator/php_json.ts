/**
 * PHP's value semantics, as far as the emulated plugin leans on them: `json_encode`
 * with WordPress's default flags, `trim`, `mb_strlen` and truthiness.
 *
 * @module
 */

/**
 * Encodes a value exactly like PHP 8's `json_encode($value)` with no flags, which is
 * what both AI Engine's `stream_push` and the WordPress REST server use: `/` becomes
 * `\/`, every non-ASCII UTF-16 unit becomes a lowercase `\uxxxx` (so an emoji is a
 * surrogate pair), and `<`, `>`, `&`, `'` stay as they are.
 *
 * @example
 * ```ts
 * import { phpJsonEncode } from "./php_json.ts";
 * phpJsonEncode({ type: "live", data: "Прив 👋 a/b" });
 * // '{"type":"live","data":"\u041f\u0440\u0438\u0432 \ud83d\udc4b a\/b"}'
 * ```
 */
export function phpJsonEncode(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return phpNumber(value);
  if (typeof value === "string") return phpString(value);
  if (Array.isArray(value)) return `[${value.map(phpJsonEncode).join(",")}]`;
  if (typeof value === "object") {
    const members = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${members.map(([k, v]) => `${phpString(k)}:${phpJsonEncode(v)}`).join(",")}}`;
  }
  throw new TypeError(`Cannot encode a ${typeof value} as PHP JSON`);
}

const SHORT_ESCAPES: Record<number, string> = {
  0x08: "\\b",
  0x09: "\\t",
  0x0a: "\\n",
  0x0c: "\\f",
  0x0d: "\\r",
  0x22: '\\"',
  0x2f: "\\/",
  0x5c: "\\\\",
};

// Everything PHP escapes: controls, `"`, `\\`, `/`, and every non-ASCII UTF-16 unit.
// deno-lint-ignore no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /[\u0000-\u001f"\\/\u0080-\uffff]/g;

function phpString(text: string): string {
  const escaped = text.replace(NEEDS_ESCAPE, (char) => {
    const unit = char.charCodeAt(0);
    return SHORT_ESCAPES[unit] ?? `\\u${unit.toString(16).padStart(4, "0")}`;
  });
  return `"${escaped}"`;
}

// JSON integers stay PHP ints; PHP ≥7.1 prints floats with serialize_precision -1
// (shortest round trip, like JS) but in exponent form below 1e-4 or from 1e15, as `1.0e-5`.
function phpNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Inf and NaN cannot be JSON encoded: ${value}`);
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value).toString();
  if (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e15) {
    const [mantissa = "0", exponent = "0"] = value.toExponential().split("e");
    const sign = exponent.startsWith("-") ? "-" : "+";
    const digits = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
    return `${digits}e${sign}${exponent.replace(/^[+-]/, "")}`;
  }
  return String(value);
}

const PHP_TRIMMED = " \t\n\r\0\x0B";

/**
 * PHP's `trim()`: strips only space, tab, LF, CR, NUL and vertical tab, unlike
 * `String.prototype.trim`, which also strips non-breaking and other Unicode spaces.
 *
 * @example
 * ```ts
 * import { phpTrim } from "./php_json.ts";
 * phpTrim("\u00a0 hi \n"); // "\u00a0 hi"
 * ```
 */
export function phpTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PHP_TRIMMED.includes(text.charAt(start))) start++;
  while (end > start && PHP_TRIMMED.includes(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

/**
 * PHP's `mb_strlen($text, 'UTF-8')`: counts code points, so an emoji counts once.
 *
 * @example
 * ```ts
 * import { mbStrlen } from "./php_json.ts";
 * mbStrlen("Я👋"); // 2
 * ```
 */
export function mbStrlen(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * PHP truthiness of a value decoded by `json_decode($body, true)`: `null`, `false`,
 * `0`, `""`, `"0"` and empty arrays or objects (both empty PHP arrays) are false.
 *
 * @example
 * ```ts
 * import { phpTruthy } from "./php_json.ts";
 * phpTruthy("0"); // false
 * phpTruthy("default"); // true
 * ```
 */
export function phpTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (value === 0 || value === "" || value === "0") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/**
 * PHP's string conversion of a scalar decoded from JSON (`(string) $value`), or
 * `undefined` for arrays and objects, where PHP 8's `trim()` would throw a TypeError.
 *
 * @example
 * ```ts
 * import { phpScalarString } from "./php_json.ts";
 * phpScalarString(true); // "1"
 * phpScalarString(null); // ""
 * ```
 */
export function phpScalarString(value: unknown): string | undefined {
  if (value === null || value === undefined || value === false) return "";
  if (value === true) return "1";
  if (typeof value === "number") return phpNumber(value);
  if (typeof value === "string") return value;
  return undefined;
}
