import type { SignatureReplays } from "./request/signature.ts";
import type { AiEngineSession } from "../ai_engine/session/ai_engine_session.ts";
import type { Config } from "./config.ts";
import type { RequestLog } from "./request_log.ts";
import type { ClientIdentity } from "./limits/client_identity.ts";
import type { SiteSessions } from "./site_sessions.ts";

/** What the middleware hands every route, through Hono's context. */
export interface GatewayEnv {
  /** Set by the edge middleware for every route. */
  Variables: {
    config: Config;
    session: AiEngineSession;
    /** The webhook signatures this isolate has taken (see `SignatureReplays`). */
    signatures: SignatureReplays;
    /** The session ids sent to the site for clients (see `SiteSessions`). */
    siteSessions: SiteSessions;
    log: RequestLog;
    /** Who asks, set by the limits middleware on the answer routes. */
    client: ClientIdentity;
  };
}
