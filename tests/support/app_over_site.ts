/**
 * A gateway app in front of a fresh AI Engine emulator, asked through `app.request` (no
 * server of its own): for the tests of one route or of the route table, where the contract
 * suite (tests/contract/) runs the same routes over real HTTP in each runtime.
 */
import assert from "node:assert/strict";
import { createApp } from "../../lib/gateway/app.ts";
import { parseConfig, type Variables } from "../../lib/gateway/config.ts";
import { STREAM_HEADERS } from "../../lib/gateway/encoders/stream_headers.ts";
import { AiEngineEmulator, type EmulatorOptions } from "../emulator/ai_engine_emulator.ts";

/** The app, the site behind it, and what the app logged. */
export interface AppOverSite extends AsyncDisposable {
  app: ReturnType<typeof createApp>;
  site: AiEngineEmulator;
  /** POSTs JSON (or a raw string body) to `path`. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** The JSON log lines written so far. */
  logs(): Record<string, unknown>[];
}

/**
 * Starts an emulated site and an app configured with `vars` in front of it. The anonymous
 * limits are off unless `vars` sets them: every request of a test is one client.
 */
export async function appOverSite(
  vars: Variables = {},
  siteOptions: EmulatorOptions = {},
): Promise<AppOverSite> {
  const site = await AiEngineEmulator.start(siteOptions);
  const lines: string[] = [];
  const app = createApp({
    config: parseConfig({
      AI_ENGINE_URL: site.url,
      ANON_REQUESTS_PER_MINUTE: "off",
      ANON_CONCURRENT_ANSWERS: "off",
      ...vars,
    }),
    log: (line) => lines.push(line),
  });
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
    await app.request(path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  return {
    app,
    site,
    post,
    logs: () => lines.map((line) => JSON.parse(line)),
    [Symbol.asyncDispose]: () => site.close(),
  };
}

/** Asserts that `response` carries every header of a streamed answer (`STREAM_HEADERS`). */
export function assertStreamHeaders(response: Response): void {
  for (const [name, value] of Object.entries(STREAM_HEADERS)) {
    assert.equal(response.headers.get(name), value, name);
  }
}
