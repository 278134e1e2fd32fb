/**
 * The Workers bundle of main.ts, built once per bench by wrangler itself
 * (`deno task build:workers`, a dry-run deploy into `dist/`): section 6 reports its
 * gzip size, which is what Cloudflare counts, and the CPU bench serves it on bare workerd.
 *
 * @module
 */

const ROOT = new URL("../../", import.meta.url).pathname;

/** What the build made, or why there is nothing. */
export type WorkersBundle =
  | { module: string; gzipBytes: number | null }
  | { module: null; error: string };

/** Runs `deno task build:workers` in the repo and finds its output. */
export async function buildWorkersBundle(): Promise<WorkersBundle> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "build:workers"],
    cwd: ROOT,
  }).output().catch((error) => ({ success: false, stdout: new Uint8Array(), stderr: error }));
  const decoder = new TextDecoder();
  const printed = decoder.decode(output.stdout) +
    (output.stderr instanceof Uint8Array ? decoder.decode(output.stderr) : String(output.stderr));
  if (!output.success) {
    return { module: null, error: `build:workers failed: ${printed.trim().slice(-300)}` };
  }
  // wrangler prints "Total Upload: 130.31 KiB / gzip: 35.43 KiB".
  const kib = /gzip:\s*([\d.]+)\s*KiB/.exec(printed)?.[1];
  return { module: `${ROOT}dist/main.js`, gzipBytes: kib ? Math.round(Number(kib) * 1024) : null };
}
