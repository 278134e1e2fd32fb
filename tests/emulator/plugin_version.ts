/**
 * The AI Engine releases the emulator plays, and what sets them apart on the wire
 * (see /tmp/notes, "Version map"; docs/ai-engine.md): where the nonce comes from,
 * whether submit checks it, and what the answer object holds.
 *
 * @module
 */

/**
 * A range of AI Engine releases:
 * - `1.9`: no start_session (404), submit open to anyone (`__return_true`);
 * - `2.0-2.4.3` (2.0.1 to 2.4.3): no start_session, submit checks the nonce, which only
 *   the chatbot's page carries (`data-system='…&quot;restNonce&quot;:…'`);
 * - `2.4.4+` (2.4.4 to 2.8.4): start_session hands out the nonce (`sessionId` `"N/A"`, no
 *   cookie), the page carries `restNonce: null`, no `new_token`;
 * - `3.x`: as recorded from 3.6.2 (the default).
 */
export type PluginVersion = "1.9" | "2.0-2.4.3" | "2.4.4+" | "3.x";

/** The versions, oldest first. */
export const PLUGIN_VERSIONS: readonly PluginVersion[] = ["1.9", "2.0-2.4.3", "2.4.4+", "3.x"];

/** What a version does differently. */
export interface VersionTraits {
  /** `POST mwai/v1/start_session` exists (2.4.4:classes/rest.php:44). */
  startSession: boolean;
  /** chats/submit's permission is `check_rest_nonce` (2.0.0:…/chatbot.php:62). */
  submitNeedsNonce: boolean;
  /** A visitor's page carries a real nonce (2.0.1:classes/core.php:189-192 to 2.4.3). */
  nonceInPage: boolean;
  /** Answers to an ageing nonce carry `new_token` (2.8.5+). */
  newToken: boolean;
  /** start_session sets the `mwai_session_id` cookie (2.8.5+); before, `sessionId` is "N/A". */
  sessionCookie: boolean;
  /** The answer object has `actions`, `shortcuts`, `blocks`, `responseId` (2.4.9+, 2.8.4+). */
  fullEnd: boolean;
  /** The plugin starts a PHP session for `/mwai/` URIs. */
  phpSession: boolean;
  /** submit reads several uploads from `newFileIds` (2.9.7:…/chatbot.php); before, `newFileId` only. */
  newFileIds: boolean;
}

/**
 * The traits of a version.
 *
 * @example
 * ```ts
 * import { versionTraits } from "./plugin_version.ts";
 * versionTraits("2.0-2.4.3").startSession; // false
 * ```
 */
export function versionTraits(version: PluginVersion): VersionTraits {
  switch (version) {
    case "1.9":
      return trait(false, false, false, false, false, false, false, false);
    case "2.0-2.4.3":
      return trait(false, true, true, false, false, false, true, false);
    case "2.4.4+":
      return trait(true, true, false, false, false, false, true, false);
    case "3.x":
      return trait(true, true, false, true, true, true, true, true);
  }
}

function trait(
  startSession: boolean,
  submitNeedsNonce: boolean,
  nonceInPage: boolean,
  newToken: boolean,
  sessionCookie: boolean,
  fullEnd: boolean,
  phpSession: boolean,
  newFileIds: boolean,
): VersionTraits {
  return {
    startSession,
    submitNeedsNonce,
    nonceInPage,
    newToken,
    sessionCookie,
    fullEnd,
    phpSession,
    newFileIds,
  };
}
