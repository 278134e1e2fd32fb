/**
 * Waits for a state that no event announces (the emulator holding a request, say): looks
 * every few milliseconds, and fails saying `what` if it has not come within `timeoutMs`.
 */
export async function until(
  reached: () => boolean,
  what: string,
  timeoutMs = 2_000,
): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!reached()) {
    if (performance.now() > end) throw new Error(`Timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
