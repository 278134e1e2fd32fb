/**
 * A tiny static site on its own origin (another loopback port than the gateway's), to
 * embed the chat the way a real site does: from another origin, through CORS.
 */

/** A file the site serves: its body, or a function of the moment it is asked for. */
export type SiteFile = string | (() => string);

/** A running static site. */
export interface StaticSite extends AsyncDisposable {
  /** E.g. `http://127.0.0.1:41234`. */
  origin: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
};

/** Serves `files` by path (`/` is `/index.html`); anything else is 404. */
export function startStaticSite(files: Record<string, SiteFile>): StaticSite {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const path = new URL(request.url).pathname;
    const file = files[path === "/" ? "/index.html" : path];
    if (file === undefined) return new Response("Not found", { status: 404 });
    const type = TYPES[path.split(".").at(-1) ?? ""] ?? TYPES.html!;
    const body = typeof file === "function" ? file() : file;
    return new Response(body, { headers: { "content-type": type, "cache-control": "no-store" } });
  });
  const close = () => server.shutdown();
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * A site's page carrying the embed tag, with the kind of careless global CSS that would
 * wreck a widget it reached (the widget's shadow root must keep all of it out).
 */
export function hostPage(gateway: string, attributes = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A static site</title>
<style>
* { font-family: "Comic Sans MS", cursive !important; color: #f0f !important; }
body { font-size: 30px; }
button { background: #0f0 !important; padding: 0 !important; }
li { list-style: square; background: yellow; }
textarea, input { width: 10px !important; }
[hidden] { display: block !important; }
</style>
</head>
<body>
<header><a href="#top">A static site</a></header>
<main><h1>Welcome</h1><p>Some content of the site.</p></main>
<script src="${gateway}/embed.js" ${attributes} defer></script>
</body>
</html>
`;
}
