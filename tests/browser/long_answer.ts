/** A long Markdown answer for the streaming tests, in the browser and in Deno. */

/** About 20 KB of what answers hold: headings, emphasis, code, links, lists, tables, fences. */
export function longAnswer(bytes = 20_000): string {
  const sections: string[] = [];
  for (let i = 1; sections.join("\n\n").length < bytes; i++) {
    sections.push(
      `## Step ${i}: configure the gateway`,
      `Set **AI_ENGINE_URL** to your site and keep \`API_KEYS\` secret; see ` +
        `[the guide](https://docs.example/step/${i}) for the *details* of step ${i} [${i}].`,
      `- first, a point about ~~old~~ new settings\n- then **another one** with \`code\``,
      `| setting | value |\n|:--|--:|\n| timeout | ${i * 100} ms |\n| retries | ${i} |`,
      '```ts\nconst gateway = createApp({ notice: "step ' + i + '" });\n```',
    );
  }
  return sections.join("\n\n");
}
