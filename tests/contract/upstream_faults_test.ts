/**
 * Hostile upstreams: every fault the emulator can play, before and after the first text,
 * through the text and the OpenAI faces. The same table is docs/failures.md, "What happens
 * when the site misbehaves", and the last step checks that it says exactly this.
 */
import assert from "node:assert/strict";
import type { Variables } from "../../lib/gateway/config.ts";
import type { EmulatorOptions } from "../emulator/ai_engine_emulator.ts";
import { HOSTILE_NONCES } from "../emulator/hostile_site.ts";
import { type Gateway, startGateway } from "./gateway.ts";
import { ANSWER, assertError, post, sseData } from "./http_client.ts";
import {
  answersUnchanged,
  badHeaderNonces,
  badNewTokens,
  badRestNonces,
  blanksCostLittle,
  redirectsNotFollowed,
  splitPairJoinedOnEveryFace,
  startSessionRedirectNotFollowed,
  tokenCountsNulled,
} from "./hostile_site_checks.ts";

/** What the client sees: a status and code, the whole answer, or a failure mid-stream. */
type Outcome =
  | { status: number; code: string }
  | { answered: true }
  | { midStream: string };

interface Fault {
  when: string;
  /** A gateway of its own, configured so, in front of a site set up so. */
  vars?: Variables;
  site?: EmulatorOptions;
  /** The faces asked: the streamed ones (default), or those that collect the answer. */
  faces?: "streamed" | "collected";
  before?: { message: string; outcome: Outcome };
  after?: { message: string; outcome: Outcome };
  /** What else must hold, checked on the same gateway (a step named after the function). */
  check?: (gw: Gateway) => Promise<void>;
}

/** Limits short enough to watch: a site that never sends text, or never ends. */
const DEADLINES = { FIRST_TEXT_TIMEOUT_MS: "1000", ANSWER_TIMEOUT_MS: "1500" };

const FAULTS: Fault[] = [
  {
    when: "the site refuses connections",
    vars: { AI_ENGINE_URL: `http://127.0.0.1:${closedPort()}` },
    before: { message: "", outcome: { status: 502, code: "upstream_unreachable" } },
  },
  {
    when: "the site's name does not resolve",
    vars: { AI_ENGINE_URL: "http://mwai-edge-test.invalid" },
    before: { message: "", outcome: { status: 502, code: "upstream_unreachable" } },
  },
  {
    when: "`start_session` answers an HTML page",
    site: { startSessionFault: "html" },
    before: { message: "", outcome: { status: 502, code: "upstream_failed" } },
  },
  {
    when: "`start_session` answers a PHP error 500",
    site: { startSessionFault: "500" },
    before: { message: "", outcome: { status: 502, code: "upstream_failed" } },
  },
  {
    when: "no answer headers come before the first text's limit",
    site: { headersDelayMs: 3000 },
    before: { message: "", outcome: { status: 504, code: "upstream_first_text_timeout" } },
  },
  {
    when: "the model provider fails",
    before: { message: "__fake:500", outcome: { status: 502, code: "upstream_failed" } },
  },
  {
    when: "the provider's rate limit is hit",
    before: { message: "__fake:429", outcome: { status: 429, code: "rate_limit_exceeded" } },
  },
  {
    when: "AI Engine rejects the message (too long, empty, banned)",
    before: { message: "Я".repeat(600), outcome: { status: 400, code: "upstream_rejected" } },
  },
  {
    when: "the answer is cut by the provider",
    after: { message: "__fake:cut", outcome: { midStream: "upstream_failed" } },
  },
  {
    when: "the site hangs up mid-answer",
    before: { message: "__fake:reset:0", outcome: { status: 502, code: "upstream_truncated" } },
    after: { message: "__fake:reset:2", outcome: { midStream: "upstream_truncated" } },
  },
  {
    when: "the connection breaks inside a chunked body",
    before: {
      message: "__fake:chunkedcut:0",
      outcome: { status: 502, code: "upstream_truncated" },
    },
    after: { message: "__fake:chunkedcut:2", outcome: { midStream: "upstream_truncated" } },
  },
  {
    when: "an error event comes with text in one chunk, then the site holds the connection",
    after: { message: "__fake:errorhold", outcome: { midStream: "rate_limit_exceeded" } },
  },
  {
    when: "the connection breaks after the `end` event",
    after: { message: "__fake:endcut", outcome: { answered: true } },
  },
  {
    when: "the site holds the connection open after the `end` event",
    after: { message: "__fake:endhold", outcome: { answered: true } },
  },
  {
    when: "garbage follows the `end` event",
    after: { message: "__fake:endgarbage", outcome: { answered: true } },
  },
  {
    when: "the stream ends without its `end` event",
    before: { message: "__fake:noend:0", outcome: { status: 502, code: "upstream_truncated" } },
    after: { message: "__fake:noend", outcome: { midStream: "upstream_truncated" } },
  },
  {
    when: "the site falls silent",
    before: { message: "__fake:stall:0", outcome: { status: 504, code: "upstream_timeout" } },
    after: { message: "__fake:stall:2", outcome: { midStream: "upstream_timeout" } },
  },
  {
    when: "`end` says `success: false`",
    before: { message: "__fake:endfalse:0", outcome: { status: 502, code: "upstream_failed" } },
    after: { message: "__fake:endfalse", outcome: { midStream: "upstream_failed" } },
  },
  {
    when: "an event is not JSON",
    before: { message: "__fake:malformed:0", outcome: { status: 502, code: "upstream_malformed" } },
    after: { message: "__fake:malformed:1", outcome: { midStream: "upstream_malformed" } },
  },
  {
    when: "an event has no `type`",
    before: { message: "__fake:notype:0", outcome: { status: 502, code: "upstream_malformed" } },
    after: { message: "__fake:notype:1", outcome: { midStream: "upstream_malformed" } },
  },
  {
    when: "an event has a `type` this gateway does not know",
    before: { message: "__fake:unknowntype:0", outcome: { answered: true } },
    after: { message: "__fake:unknowntype:1", outcome: { answered: true } },
  },
  {
    when: "one event is larger than 8 Mi characters",
    before: { message: "__fake:bigevent:9", outcome: { status: 502, code: "upstream_too_large" } },
  },
  {
    when: "a CDN answers an HTML page with 403",
    before: { message: "__fake:html403", outcome: { status: 502, code: "upstream_failed" } },
  },
  {
    when: "a CDN answers an HTML page with 503",
    before: { message: "__fake:html503", outcome: { status: 502, code: "upstream_failed" } },
  },
  {
    when: "the events come as `application/json`",
    before: { message: "__fake:sseasjson", outcome: { answered: true } },
  },
  {
    when: "the body starts with a BOM",
    before: { message: "__fake:bom", outcome: { answered: true } },
  },
  { when: "lines end in CRLF", before: { message: "__fake:crlf", outcome: { answered: true } } },
  { when: "lines end in CR", before: { message: "__fake:cr", outcome: { answered: true } } },
  {
    when: "comment lines (`: ping`) come between events",
    before: { message: "__fake:comments", outcome: { answered: true } },
  },
  {
    when: "events carry `retry:` and `id:` fields",
    before: { message: "__fake:fields", outcome: { answered: true } },
  },
  // A hostile or broken site (issue 13): it can never brick, leak through, or exhaust.
  {
    when: "an answer's `new_token` is not a nonce (CR/LF, NUL, non-Latin-1, 100 KB)",
    before: { message: "__fake:badtoken:0", outcome: { answered: true } },
    check: badNewTokens,
  },
  {
    when: "an answer's `X-WP-Nonce` header is not a nonce (space, quote, UTF-8, 4 KB)",
    before: { message: "__fake:badheader:0", outcome: { answered: true } },
    check: badHeaderNonces,
  },
  {
    when: "`start_session`'s `restNonce` is not a nonce (CR/LF, NUL, non-Latin-1)",
    site: { startSessionNonce: HOSTILE_NONCES[0] },
    before: { message: "", outcome: { status: 502, code: "upstream_failed" } },
    check: badRestNonces,
  },
  {
    when: "`start_session`'s answer holds a 100 KB `restNonce`",
    site: { startSessionNonce: HOSTILE_NONCES[3] },
    before: { message: "", outcome: { status: 502, code: "upstream_too_large" } },
  },
  {
    when: "submit answers a redirect (301, 302, 307, 308)",
    before: { message: "__fake:redirect:307", outcome: { status: 502, code: "upstream_failed" } },
    check: redirectsNotFollowed,
  },
  {
    when: "`start_session` answers a redirect",
    site: { startSessionFault: "redirect" },
    before: { message: "", outcome: { status: 502, code: "upstream_failed" } },
    check: startSessionRedirectNotFollowed,
  },
  {
    when: "1 MiB of blank lines comes before the first event",
    before: { message: "__fake:blanks:1", outcome: { answered: true } },
    check: blanksCostLittle,
  },
  {
    when: "more than 8 Mi bytes of blank lines come before the first event",
    before: { message: "__fake:blanks:9", outcome: { status: 502, code: "upstream_too_large" } },
  },
  {
    when: "a collected answer (`/api/webhook`, `stream: false`) exceeds 8 Mi characters",
    faces: "collected",
    before: { message: "__fake:huge:9", outcome: { status: 502, code: "upstream_too_large" } },
  },
  {
    when: "the site sends only comments, never text, past `FIRST_TEXT_TIMEOUT_MS`",
    vars: DEADLINES,
    before: {
      message: "__fake:pings",
      outcome: { status: 504, code: "upstream_first_text_timeout" },
    },
  },
  {
    when: "the site sends only `status` events, never text, past `FIRST_TEXT_TIMEOUT_MS`",
    vars: DEADLINES,
    before: {
      message: "__fake:statusloop",
      outcome: { status: 504, code: "upstream_first_text_timeout" },
    },
  },
  {
    when: "the site trickles text and events past `ANSWER_TIMEOUT_MS`",
    vars: DEADLINES,
    after: { message: "__fake:trickle", outcome: { midStream: "upstream_answer_timeout" } },
  },
  {
    when: "a surrogate pair is split across two `live` events",
    before: { message: "__fake:splitemoji", outcome: { answered: true } },
    check: splitPairJoinedOnEveryFace,
  },
  {
    when: 'token counts are absurd (`1e308`, `-5`, `"12"`)',
    before: { message: "__fake:badusage", outcome: { answered: true } },
    check: tokenCountsNulled,
  },
];

const VARS = { UPSTREAM_TIMEOUT_MS: "700", FIRST_TEXT_TIMEOUT_MS: "1500" };

Deno.test("what happens when the site misbehaves", async (t) => {
  // One gateway per configuration, closed after its last fault: starting workerd takes time.
  const keyOf = (fault: Fault) => JSON.stringify([fault.vars ?? {}, fault.site ?? {}]);
  const shared = keyOf({ when: "" });
  const lastUse = new Map(FAULTS.map((fault, i) => [keyOf(fault), i]));
  const gateways = new Map<string, Gateway>();
  const gatewayFor = async (fault: Fault) => {
    const key = keyOf(fault);
    let gw = gateways.get(key);
    if (!gw) gateways.set(key, gw = await startGateway({ ...VARS, ...fault.vars }, fault.site));
    return gw;
  };
  const done = async (i: number) => {
    const key = keyOf(FAULTS[i]!);
    if (key === shared || lastUse.get(key) !== i) return;
    await gateways.get(key)?.close();
    gateways.delete(key);
  };

  try {
    await playAll(t, gatewayFor, done);
    const gw = await gatewayFor({ when: "" });
    await t.step(
      "the shared gateway still answers, and never said a hostile value",
      () => answersUnchanged(gw),
    );
  } finally {
    for (const gw of gateways.values()) await gw.close();
  }

  await t.step("docs/failures.md's table says exactly this", async () => {
    const doc = await Deno.readTextFile(new URL("../../docs/failures.md", import.meta.url));
    const section = doc.split("# What happens when the site misbehaves\n")[1] ?? "";
    assert.deepEqual(
      tableCells(section),
      tableCells(docTable()),
      `docs/failures.md should have:\n${docTable()}`,
    );
  });
});

async function playAll(
  t: Deno.TestContext,
  gatewayFor: (fault: Fault) => Promise<Gateway>,
  done: (i: number) => Promise<void>,
): Promise<void> {
  for (const [i, fault] of FAULTS.entries()) {
    const gw = await gatewayFor(fault);
    for (
      const [moment, played] of [["before any text", fault.before], [
        "after text has begun",
        fault.after,
      ]] as const
    ) {
      if (!played) continue;
      await t.step(`${fault.when}: ${describe(played.outcome)} ${moment}`, async () => {
        await expectOutcome(gw.base, played.message, played.outcome, fault.faces);
      });
    }
    const check = fault.check;
    if (check) await t.step(`${fault.when}: ${check.name}`, () => check(gw));
    await done(i);
  }
}

async function expectOutcome(
  base: string,
  text: string,
  outcome: Outcome,
  faces: Fault["faces"] = "streamed",
): Promise<void> {
  const message = `Hello ${text}`;
  if (faces === "collected") {
    if (!("status" in outcome)) throw new Error("collected faces are checked for errors only");
    await assertError(await post(base, "/api/webhook", { message }), outcome.status, outcome.code);
    const json = await post(base, "/v1/chat/completions", {
      messages: [{ role: "user", content: message }],
    });
    await assertError(json, outcome.status, outcome.code);
    return;
  }
  if ("status" in outcome) {
    await assertError(await post(base, "/api/chat", { message }), outcome.status, outcome.code);
    const sse = await post(base, "/v1/chat/completions", {
      stream: true,
      messages: [{ role: "user", content: message }],
    });
    await assertError(sse, outcome.status, outcome.code);
    return;
  }
  if ("answered" in outcome) {
    assert.equal(await (await post(base, "/api/chat", { message })).text(), ANSWER);
    return;
  }
  const text_ = await post(base, "/api/chat", { message });
  assert.equal(text_.status, 200);
  let got = "";
  await assert.rejects(async () => {
    for await (const piece of text_.body!.pipeThrough(new TextDecoderStream())) got += piece;
  });
  assert.ok(
    got !== "" && ANSWER.startsWith(got),
    `text before the failure: ${JSON.stringify(got)}`,
  );
  const sse = await post(base, "/v1/chat/completions", {
    stream: true,
    messages: [{ role: "user", content: message }],
  });
  const data = sseData(await sse.text());
  assert.notEqual(data.at(-1), "[DONE]");
  assert.equal(JSON.parse(data.at(-1)!).error.code, outcome.midStream);
}

/**
 * A port nothing listens on, below the ephemeral range (Linux: 32768–60999): it is chosen
 * when this file loads and used minutes later, while the suite starts servers on port 0,
 * and one of those once took a freed ephemeral port and answered in its place.
 */
function closedPort(): number {
  for (let port = 20_000 + Math.floor(Math.random() * 10_000);; port++) {
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch {
      // Taken: the next one.
    }
  }
}

function describe(outcome: Outcome): string {
  if ("status" in outcome) return `${outcome.status} \`${outcome.code}\``;
  if ("answered" in outcome) return "answered normally";
  return `stream fails with \`${outcome.midStream}\``;
}

/** The cells of the first Markdown table in `text`, trimmed (deno fmt pads them). */
function tableCells(text: string): string[][] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith("|"));
  const rows = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith("|")) break;
    if (/^\|[\s|:-]+\|$/.test(line)) continue;
    rows.push(line.slice(1, -1).split("|").map((cell) => cell.trim()));
  }
  return rows;
}

/** The Markdown table docs/failures.md carries, rendered from FAULTS. */
function docTable(): string {
  const rows = FAULTS.map((f) =>
    `| ${f.when} | ${f.before ? describe(f.before.outcome) : "—"} | ${
      f.after ? describe(f.after.outcome) : "—"
    } |`
  );
  return ["| when … | before any text | after text has begun |", "|---|---|---|", ...rows].join(
    "\n",
  );
}
