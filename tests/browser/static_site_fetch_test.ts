import assert from "node:assert/strict";
import { startGateway } from "../contract/gateway.ts";
import { ANSWER } from "../contract/http_client.ts";
import { launchBrowser, NO_BROWSER } from "./browser.ts";
import { startStaticSite } from "./static_site.ts";

const SNIPPET = await Deno.readTextFile(
  new URL("../../examples/static_site_fetch.js", import.meta.url),
);

// A site that builds its own UI on docs/static-sites.md's snippet, served as written.
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Own UI</title></head>
<body>
<output></output>
<script type="module">
import { streamChat } from "./static_site_fetch.js";
const output = document.querySelector("output");
window.ask = async (gateway, content, stopAfterMs) => {
  const pieces = [];
  const controller = new AbortController();
  if (stopAfterMs) setTimeout(() => controller.abort(), stopAfterMs);
  output.textContent = "";
  try {
    const answer = await streamChat(gateway, [{ role: "user", content }], (text) => {
      pieces.push(text);
      output.textContent += text;
    }, controller.signal);
    return { answer, pieces, shown: output.textContent };
  } catch (error) {
    return { error: error.name + ": " + error.message, pieces };
  }
};
</script>
</body>
</html>
`;

interface Asked {
  answer?: string;
  pieces: string[];
  shown?: string;
  error?: string;
}

Deno.test({
  name: "the fetch snippet of docs/static-sites.md streams an answer into a static site's own UI",
  ignore: NO_BROWSER,
  async fn(t) {
    await using site = startStaticSite({ "/index.html": PAGE, "/static_site_fetch.js": SNIPPET });
    await using gw = await startGateway({ ALLOWED_ORIGINS: site.origin }, { pieceDelayMs: 100 });
    await using browser = await launchBrowser();
    const page = await browser.open(`${site.origin}/`);
    await page.waitForFunction("typeof window.ask === 'function'");
    const ask = (content: string, stopAfterMs = 0) =>
      page.evaluate(
        `window.ask(${JSON.stringify(gw.base)}, ${JSON.stringify(content)}, ${stopAfterMs})`,
      ) as Promise<Asked>;

    await t.step("the text arrives piece by piece and resolves whole", async () => {
      const asked = await ask("Hello");
      assert.equal(asked.answer, ANSWER);
      assert.equal(asked.shown, ANSWER);
      assert.ok(asked.pieces.length >= 2, `${asked.pieces.length} pieces: the text was buffered`);
    });

    await t.step("the gateway's error message becomes the rejection", async () => {
      const asked = await ask("Hello __fake:500");
      assert.match(asked.error ?? "", /^Error: .*exploded/);
      assert.deepEqual(asked.pieces, []);
    });

    await t.step("an answer cut off midway rejects after its first pieces", async () => {
      const asked = await ask("Hello __fake:reset:2");
      assert.match(asked.error ?? "", /^TypeError/);
      assert.ok(asked.pieces.length > 0);
    });

    await t.step("aborting the signal stops the answer at the site too", async () => {
      gw.site.options.pieceDelayMs = 300;
      const aborts = gw.site.aborts;
      const asked = await ask("Hello", 450);
      assert.match(asked.error ?? "", /^AbortError/);
      await gw.site.waitForAborts(aborts + 1);
    });

    assert.deepEqual(browser.pageErrors, []);
  },
});
