import assert from "node:assert/strict";
import { RELEASED_AT, VERSION } from "../lib/version.ts";

const DENO_JSON = new URL("../deno.json", import.meta.url);

Deno.test("VERSION is the version deno.json publishes", async () => {
  const manifest = JSON.parse(await Deno.readTextFile(DENO_JSON));
  assert.equal(VERSION, manifest.version);
});

Deno.test("VERSION is a semantic version, so /healthz and the widget's ETag can be compared", () => {
  assert.match(VERSION, /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/);
});

Deno.test("RELEASED_AT is a UTC midnight in Unix seconds, not milliseconds", () => {
  const date = new Date(RELEASED_AT * 1000);
  assert.equal(date.getUTCFullYear() >= 2024 && date.getUTCFullYear() < 2100, true);
  assert.equal(date.toISOString().slice(10), "T00:00:00.000Z");
});

Deno.test("the CHANGELOG has a section for VERSION", async () => {
  const changelog = await Deno.readTextFile(new URL("../CHANGELOG.md", import.meta.url));
  assert.match(changelog, new RegExp(`^## ${VERSION.replaceAll(".", "\\.")}\\b`, "m"));
});
