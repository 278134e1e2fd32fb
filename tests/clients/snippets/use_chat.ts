import { DefaultChatTransport, TextStreamChatTransport } from "ai";

/**
 * The transports `useChat({ transport })` takes (`@ai-sdk/react`): the UI message stream of
 * `/api/ui-chat`, which shows a failure as `error`, or the plain text of `/api/chat`.
 */
export function transports(gateway: string, apiKey: string) {
  const headers = { authorization: `Bearer ${apiKey}` }; // where API_KEYS is set
  return {
    uiMessages: new DefaultChatTransport({ api: `${gateway}/api/ui-chat`, headers }),
    text: new TextStreamChatTransport({ api: `${gateway}/api/chat`, headers }),
  };
}
