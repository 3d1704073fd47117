/**
 * The widget's two calls to Greenroom's session endpoints (the heartbeat is heartbeat.ts's loop):
 * - `createSession`: `POST {api}/v1/widget/sessions` with the public key. Resolves to the parsed session, or
 *   rejects with a WidgetError whose message is fit for the visitor (no network, a problem answer, a bad answer).
 * - `sendEnd`: `POST {api}/v1/widget/sessions/{id}/end` with the heartbeat token, `keepalive`, best effort: it
 *   never throws nor rejects, and does nothing while the attempt has no session (or its answer had no usable
 *   heartbeat block, whose token this call needs).
 */
import { MESSAGES, problemMessage } from "./messages";
import type { Run } from "./run";
import { WidgetError, parseSession, type WidgetSession } from "./session";

export async function createSession(run: Run): Promise<WidgetSession> {
  let resp: Response;
  try {
    resp = await fetch(`${run.api}/v1/widget/sessions`, {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: {
        Authorization: `Bearer ${run.key}`,
        "Content-Type": "application/json",
        Accept: "application/json, application/problem+json",
      },
      body: JSON.stringify({ agent: run.agent }),
      // No abort signal: if the element goes away mid-request, the session
      // still gets created, and the element ends it as soon as its id is known.
    });
  } catch {
    throw new WidgetError(MESSAGES.network);
  }
  let body: unknown = null;
  try {
    body = await resp.json();
  } catch {
    body = null;
  }
  if (resp.status === 201 || resp.status === 200) return parseSession(body);
  throw new WidgetError(problemMessage(resp.status, body, [run.key]));
}

export function sendEnd(run: Run): void {
  const s = run.session;
  if (!s?.heartbeat) return;
  try {
    void fetch(`${run.api}/v1/widget/sessions/${encodeURIComponent(s.session_id)}/end`, {
      method: "POST",
      keepalive: true,
      credentials: "omit",
      headers: { Authorization: `Bearer ${s.heartbeat.token}` },
    }).catch(() => undefined);
  } catch {
    // ignore: best effort, the server also expires sessions without heartbeats
  }
}
