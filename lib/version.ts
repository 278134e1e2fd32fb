/** The gateway's version, as `/healthz` reports it (kept equal to deno.json's). */
export const VERSION = "0.1.0";
