/**
 * The heartbeat loop: `POST url` with the session's heartbeat token every `intervalS` seconds, the first one
 * `intervalS` after the start, the next one `intervalS` after each answer (so beats never overlap).
 *
 * It stops when `signal` is aborted (the widget ended the session; a beat in flight is cancelled too), or when
 * the server says the session is over: it then calls `onEndedByServer` once. A beat that fails (network, 5xx)
 * is not fatal: the server's grace covers a few missed beats, so the loop goes on.
 */

export interface HeartbeatLoop {
  url: string;
  token: string;
  intervalS: number;
  signal: AbortSignal;
  onEndedByServer: () => void;
}

/** `ended`: the server no longer keeps this session; `alive`: it does; `unknown`: no usable answer. */
export type BeatOutcome = "alive" | "ended" | "unknown";

const LIVE_STATES = new Set(["active", "starting"]);

export function beatOutcome(status: number, body: unknown): BeatOutcome {
  // 401 is the server's answer for an unknown session or a token it no longer accepts: no later beat can succeed.
  if (status === 401 || status === 404 || status === 410) return "ended";
  if (status < 200 || status > 299) return "unknown";
  const state = typeof body === "object" && body !== null ? (body as Record<string, unknown>)["state"] : undefined;
  if (typeof state !== "string") return "unknown";
  return LIVE_STATES.has(state) ? "alive" : "ended";
}

/** The heartbeat URL from the session answer, resolved against the API base (null if unusable). */
export function heartbeatUrl(url: string, api: string): string | null {
  try {
    return new URL(url, `${api}/`).href;
  } catch {
    return null;
  }
}

export function startHeartbeats(loop: HeartbeatLoop): void {
  const { signal } = loop;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const schedule = (): void => {
    timer = setTimeout(() => void beat(), loop.intervalS * 1000);
  };
  const beat = async (): Promise<void> => {
    timer = null;
    if (signal.aborted) return;
    let outcome: BeatOutcome = "unknown";
    try {
      const resp = await fetch(loop.url, {
        method: "POST",
        credentials: "omit",
        headers: { Authorization: `Bearer ${loop.token}` },
        signal,
      });
      const body: unknown = resp.ok ? await resp.json().catch(() => null) : null;
      outcome = beatOutcome(resp.status, body);
    } catch {
      // A missed heartbeat is not fatal; the next one may get through.
    }
    if (signal.aborted) return;
    if (outcome === "ended") {
      loop.onEndedByServer();
      return;
    }
    schedule();
  };
  if (signal.aborted) return;
  signal.addEventListener("abort", () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }, { once: true });
  schedule();
}
