/** The answer to `POST /v1/widget/sessions`, read defensively: whatever is missing or malformed is a bad answer. */
import { MESSAGES, asString } from "./messages";

export interface Heartbeat {
  url: string;
  token: string;
  interval_s: number;
}

export interface WidgetSession {
  session_id: string;
  token: string;
  avaturn_api_host: string | null;
  expires_at: string | null;
  heartbeat: Heartbeat | null;
}

/** A failure whose message is already fit for the visitor. */
export class WidgetError extends Error {}

/** The default heartbeat interval when the answer names none (the server's default). */
export const DEFAULT_INTERVAL_S = 20;

export function parseSession(body: unknown): WidgetSession {
  if (typeof body !== "object" || body === null) throw new WidgetError(MESSAGES.badAnswer);
  const b = body as Record<string, unknown>;
  const sessionId = asString(b["session_id"]);
  const token = asString(b["token"]);
  if (!sessionId || !token) throw new WidgetError(MESSAGES.badAnswer);
  let heartbeat: Heartbeat | null = null;
  const hb = b["heartbeat"];
  if (typeof hb === "object" && hb !== null) {
    const h = hb as Record<string, unknown>;
    const url = asString(h["url"]);
    const hbToken = asString(h["token"]);
    const interval = typeof h["interval_s"] === "number" && h["interval_s"] > 0 ? h["interval_s"] : DEFAULT_INTERVAL_S;
    if (url && hbToken) heartbeat = { url, token: hbToken, interval_s: interval };
  }
  return {
    session_id: sessionId,
    token,
    avaturn_api_host: asString(b["avaturn_api_host"]),
    expires_at: asString(b["expires_at"]),
    heartbeat,
  };
}
