/** The gateway's version, as `/healthz` reports it (kept equal to deno.json's). */
export const VERSION = "0.3.0";

/**
 * When this version was released, in Unix seconds (2026-12-06T00:00:00Z): the `created`
 * of every model in `/v1/models`, since AI Engine does not say when a bot was made.
 * Moves with {@linkcode VERSION}.
 */
export const RELEASED_AT = 1_796_515_200;
