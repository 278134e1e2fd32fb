/**
 * `markdownFragment` (lib/gateway/pages/markdown_dom_script.ts) on its own, fed HTML that
 * micromark never makes: the allowlist must hold even if the renderer let something through.
 */
import assert from "node:assert/strict";
import { launchBrowser, NO_BROWSER } from "./browser.ts";
import { loadMarkdown } from "./markdown_page.ts";

const HOSTILE = [
  '<p>a<img src="x" onerror="window.pwned=1">b</p>',
  '<a href="javascript:window.pwned=2">js</a><a href="/relative">rel</a>',
  '<a href="https://ok.example/" onclick="window.pwned=3" style="color:red" id="x">ok</a>',
  '<svg onload="window.pwned=4"><circle/></svg><iframe src="https://evil.example/"></iframe>',
  "<script>window.pwned=5</script><style>p { color: red }</style>",
  '<img src="data:image/png;base64,AAAA" alt="data">',
  '<img src="https://img.example/a.png" alt="fine" onload="window.pwned=6" width="9999">',
  '<pre><code class="language-js onerror x">code</code></pre>',
  '<input type="text" value="hi"><input type="checkbox" checked onclick="window.pwned=7">',
  '<table><tbody><tr><td align="javascript:x" onclick="x">c</td><td align="right">d</td></tr>' +
  '</tbody></table><ol start="3" onclick="x"><li>three</li></ol>',
  "<form action=https://evil.example/><button formaction=x>go</button></form>",
].join("");

Deno.test({
  name: "the DOM of an answer holds only Markdown's elements and attributes, whatever the HTML",
  ignore: NO_BROWSER,
  async fn() {
    await using browser = await launchBrowser();
    const page = await browser.open("about:blank");
    await page.route("https://img.example/**", (route) => route.fulfill({ status: 404 }));
    await loadMarkdown(page);
    const elements = await page.evaluate(`(() => {
      const div = document.createElement("div");
      document.body.append(div);
      div.append(window.markdown.markdownFragment(document, ${JSON.stringify(HOSTILE)}, () => {}));
      return Array.from(div.querySelectorAll("*"), (el) =>
        el.tagName + " " +
          el.getAttributeNames().sort().map((n) => n + "=" + el.getAttribute(n)).join(" "));
    })()`) as string[];
    assert.deepEqual(elements, [
      "P ",
      "A href=https://ok.example/ rel=noopener noreferrer target=_blank",
      "IMG alt=fine referrerpolicy=no-referrer src=https://img.example/a.png",
      "DIV class=mwai-code",
      "BUTTON aria-label=Copy code class=mwai-copy type=button",
      "PRE ",
      "CODE ",
      "INPUT checked= disabled= type=checkbox",
      "TABLE ",
      "TBODY ",
      "TR ",
      "TD ",
      "TD align=right",
      "OL start=3",
      "LI ",
    ]);
    // What was refused shows as text: a refused image its alt text, a refused link its words.
    const text = await page.evaluate("document.body.textContent") as string;
    for (const words of ["js", "rel", "data", "go"]) assert.ok(text.includes(words), words);
    await page.waitForFunction("document.querySelector('img').complete");
    assert.equal(await page.evaluate("window.pwned"), undefined);
    assert.deepEqual(browser.pageErrors, []);
  },
});
