import type { Context } from "hono";
import { demoPage } from "../pages/demo_page.ts";
import { pagePolicy } from "../pages/page_policy.ts";
import type { GatewayEnv } from "../gateway_env.ts";

interface BuiltPage {
  html: string;
  policy: string;
}

/**
 * `GET /`: the chat page, with a Content-Security-Policy that lets only its own inline
 * script (by hash) and Turnstile's run. Built once per Turnstile site key; `notice` is the
 * line shown above the chat.
 */
export function chatPage(notice?: string): (c: Context<GatewayEnv>) => Promise<Response> {
  const built = new Map<string | null, Promise<BuiltPage>>();
  return async (c) => {
    const siteKey = c.var.config.limits.turnstile?.siteKey ?? null;
    let page = built.get(siteKey);
    if (!page) {
      const html = demoPage(notice, siteKey);
      page = pagePolicy(html).then((policy) => ({ html, policy }));
      built.set(siteKey, page);
    }
    const { html, policy } = await page;
    return c.html(html, 200, { "content-security-policy": policy });
  };
}
