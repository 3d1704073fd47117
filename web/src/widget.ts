/**
 * <greenroom-avatar key="gr_pk_…" agent="slug" [api="https://greenroom.example.com"]>
 *
 * Asks Greenroom for an avatar session (POST {api}/v1/widget/sessions with the
 * public widget key), hands the returned session token to the Avaturn browser
 * SDK, keeps the session alive with heartbeats and ends it when the element
 * leaves the page, the page is hidden, or something fails.
 *
 * Contract (what pages and tests can rely on):
 * - `data-state` on the host element and on the status element (`part="status"`,
 *   `role="status"`): `connecting` | `live` | `error` | `ended`;
 * - the read-only `state` property (null before the first connection);
 * - a `greenroom-state` CustomEvent (bubbles, composed) on every change with
 *   `detail: {state, message, sessionId}`.
 */
import { AvaturnHead } from "@avaturn-live/web-sdk";

export type WidgetState = "connecting" | "live" | "error" | "ended";

export interface GreenroomStateDetail {
  state: WidgetState;
  message: string;
  sessionId: string | null;
}

interface Heartbeat {
  url: string;
  token: string;
  interval_s: number;
}

interface WidgetSession {
  session_id: string;
  token: string;
  avaturn_api_host: string | null;
  expires_at: string | null;
  heartbeat: Heartbeat | null;
}

const TAG = "greenroom-avatar";

const MESSAGES = {
  connecting: "Connecting to the avatar…",
  live: "Live",
  ended: "The conversation has ended.",
  endedByServer: "This conversation was ended.",
  idle: "The conversation ended after a period of inactivity.",
  notConfigured: "This avatar is not set up correctly: the key and agent attributes are required.",
  network: "Could not reach the avatar service. Check your connection and try again.",
  badAnswer: "The avatar service gave an unexpected answer. Please try again later.",
  avatarFailed: "The avatar could not connect. Please try again later.",
} as const;

/** How long init() may take before we give up (the SDK has no overall timeout of its own). */
const INIT_TIMEOUT_MS = 60_000;
/** Passed to the SDK's init(): how long to wait for the avatar's video after joining the room. */
const SDK_TRACK_TIMEOUT_MS = 45_000;

/**
 * Default Greenroom base URL: the origin of the script that loaded widget.js.
 * `document.currentScript` is only set while the script itself is being evaluated.
 */
const SCRIPT_ORIGIN: string | null = (() => {
  try {
    const script = document.currentScript;
    if (script instanceof HTMLScriptElement && script.src) {
      return new URL(script.src, location.href).origin;
    }
  } catch {
    // fall through to location.origin at connection time
  }
  return null;
})();

// The SDK's declared event names omit "error", though it forwards every
// backend app-message by its `type`, errors included.
type LooseEvents = {
  on(event: string, cb: (data: unknown) => void): void;
};

class WidgetError extends Error {}

function friendlyProblem(status: number, type: string, title: string): string {
  const slug = type.split("/").pop() ?? "";
  switch (slug) {
    case "origin-not-allowed":
      return "This site is not allowed to use this avatar.";
    case "agent-not-allowed":
      return "This widget key may not start this avatar.";
    case "unknown-key":
      return "This widget key is unknown or has been revoked.";
    case "unknown-agent":
      return "This avatar does not exist.";
    case "tenant-suspended":
      return "This avatar is currently unavailable.";
    case "missing-credential":
      return "This avatar is not fully set up yet.";
    case "invalid-request":
      return "The avatar could not be started: the request was not accepted.";
  }
  if (status === 401) return "This widget key is unknown or has been revoked.";
  if (status === 403) return "This site is not allowed to use this avatar.";
  if (status === 404) return "This avatar does not exist.";
  if (status === 429) return "Too many conversations are running right now. Please try again in a moment.";
  if (status >= 500) return "The avatar service is having trouble. Please try again later.";
  return title ? `The avatar could not be started: ${title}.` : "The avatar could not be started.";
}

function asString(v: unknown): string | null {
  return typeof v === "string" && v.length > 0 ? v : null;
}

function parseSession(body: unknown): WidgetSession {
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
    const interval = typeof h["interval_s"] === "number" && h["interval_s"] > 0 ? h["interval_s"] : 20;
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

/** A short, token-free description of whatever the SDK rejected or emitted. */
function describe(err: unknown, secrets: string[]): string {
  let text = "";
  if (err instanceof Error) text = err.message;
  else if (typeof err === "string") text = err;
  else if (typeof err === "object" && err !== null) {
    const o = err as Record<string, unknown>;
    const inner = typeof o["data"] === "object" && o["data"] !== null ? (o["data"] as Record<string, unknown>) : {};
    const code = asString(o["code"]) ?? asString(inner["code"]) ?? asString(o["error"]) ?? asString(o["errorMsg"]);
    const msg = asString(o["message"]) ?? asString(inner["message"]) ?? asString(o["msg"]);
    text = [code, msg].filter(Boolean).join(": ");
  }
  for (const s of secrets) if (s) text = text.split(s).join("…");
  text = text.replace(/\s+/g, " ").trim();
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** Plain words for the SDK / daily-js failures we know; anything else is shown as is (shortened). */
function plainDetail(detail: string): string {
  const known: [RegExp, string][] = [
    [/limits_exceeded/i, "The usage limit was reached."],
    [/internal_error/i, "The avatar service had an internal error."],
    [/call object bundle|call-machine/i, "The video service could not be reached."],
    [/Duplicate DailyIframe|multiple call instances/i, "Only one avatar can run on a page at a time."],
    [/Connection timeout|timed out/i, "The avatar did not start in time."],
    [/status code 40[13]/i, "The avatar session was not accepted."],
    [/status code 5\d\d/i, "The avatar service is having trouble."],
    [/Network Error|Failed to fetch/i, "The avatar service could not be reached."],
  ];
  for (const [re, text] of known) if (re.test(detail)) return text;
  return detail;
}

function avatarFailure(err: unknown, secrets: string[]): string {
  const detail = plainDetail(describe(err, secrets));
  if (!detail) return MESSAGES.avatarFailed;
  return `${MESSAGES.avatarFailed} ${/[.!?…]$/.test(detail) ? detail : `${detail}.`}`;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** One connection attempt: one Greenroom session at most. */
class Run {
  ended = false;
  session: WidgetSession | null = null;
  avatar: AvaturnHead | null = null;
  heartbeatTimer: ReturnType<typeof setTimeout> | null = null;
  readonly abort = new AbortController();
  constructor(readonly api: string, readonly key: string, readonly agent: string) {}
}

const STYLE = `
:host {
  display: block;
  max-width: 100%;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1f2933;
}
:host([hidden]) { display: none; }
.card {
  border-radius: 14px;
  overflow: hidden;
  background: #fff;
  box-shadow: 0 1px 3px rgba(15, 23, 42, .12), 0 6px 20px rgba(15, 23, 42, .08);
}
.stage {
  position: relative;
  aspect-ratio: 16 / 9;
  background: radial-gradient(circle at 50% 40%, #eef1f6, #d9dee7);
  overflow: hidden;
}
.bar {
  display: flex;
  align-items: center;
  gap: 8px;
  padding: 8px 12px;
  min-height: 24px;
}
.dot {
  flex: none;
  width: 8px;
  height: 8px;
  border-radius: 50%;
  background: #9aa5b1;
}
.bar[data-state="connecting"] .dot { background: #f0b429; animation: pulse 1.2s ease-in-out infinite; }
.bar[data-state="live"] .dot { background: #27ab83; }
.bar[data-state="error"] .dot { background: #d64545; }
.status { flex: 1; margin: 0; }
.bar[data-state="error"] .status { color: #a61b1b; }
button {
  flex: none;
  font: inherit;
  padding: 2px 10px;
  border: 1px solid #cbd2d9;
  border-radius: 999px;
  background: #f5f7fa;
  color: inherit;
  cursor: pointer;
}
button:hover { background: #e4e7eb; }
button[hidden] { display: none; }
@keyframes pulse { 50% { opacity: .35; } }
@media (prefers-reduced-motion: reduce) { .bar[data-state="connecting"] .dot { animation: none; } }
`;

export class GreenroomAvatarElement extends HTMLElement {
  static readonly observedAttributes = ["key", "widget-key", "agent", "api"];

  #state: WidgetState | null = null;
  #message = "";
  #run: Run | null = null;
  #startQueued = false;
  readonly #stage: HTMLDivElement;
  readonly #bar: HTMLDivElement;
  readonly #status: HTMLParagraphElement;
  readonly #retry: HTMLButtonElement;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLE;
    const card = document.createElement("div");
    card.className = "card";
    card.setAttribute("part", "card");
    this.#stage = document.createElement("div");
    this.#stage.className = "stage";
    this.#stage.setAttribute("part", "stage");
    this.#bar = document.createElement("div");
    this.#bar.className = "bar";
    const dot = document.createElement("span");
    dot.className = "dot";
    dot.setAttribute("aria-hidden", "true");
    this.#status = document.createElement("p");
    this.#status.className = "status";
    this.#status.setAttribute("part", "status");
    this.#status.setAttribute("role", "status");
    this.#status.setAttribute("aria-live", "polite");
    this.#retry = document.createElement("button");
    this.#retry.type = "button";
    this.#retry.textContent = "Start again";
    this.#retry.setAttribute("part", "retry");
    this.#retry.hidden = true;
    this.#retry.addEventListener("click", () => this.#restart());
    this.#bar.append(dot, this.#status, this.#retry);
    card.append(this.#stage, this.#bar);
    root.append(style, card);
  }

  /** `connecting` | `live` | `error` | `ended`, or null before the element was first connected. */
  get state(): WidgetState | null {
    return this.#state;
  }

  /** The Greenroom session id of the current (or last) attempt, once known. */
  get sessionId(): string | null {
    return this.#run?.session?.session_id ?? null;
  }

  connectedCallback(): void {
    window.addEventListener("pagehide", this.#onPageHide);
    document.addEventListener("visibilitychange", this.#onVisibilityChange);
    if (this.#run && !this.#run.ended) return; // moved within the page: keep the conversation
    this.#setState("connecting", MESSAGES.connecting);
    this.#queueStart();
  }

  disconnectedCallback(): void {
    window.removeEventListener("pagehide", this.#onPageHide);
    document.removeEventListener("visibilitychange", this.#onVisibilityChange);
    // A move (remove + insert in the same task) reconnects before this microtask runs.
    queueMicrotask(() => {
      if (!this.isConnected) this.#end(MESSAGES.ended);
    });
  }

  attributeChangedCallback(_name: string, oldValue: string | null, newValue: string | null): void {
    if (oldValue === newValue || !this.isConnected || this.#state === null) return;
    this.#restart();
  }

  #onPageHide = (): void => {
    this.#end(MESSAGES.ended);
  };

  #onVisibilityChange = (): void => {
    if (document.visibilityState === "hidden") this.#end(MESSAGES.ended);
  };

  #restart(): void {
    if (this.#run && !this.#run.ended) this.#end(null);
    this.#setState("connecting", MESSAGES.connecting);
    this.#queueStart();
  }

  /** Start on a microtask so attributes set right after insertion are seen. */
  #queueStart(): void {
    if (this.#startQueued) return;
    this.#startQueued = true;
    queueMicrotask(() => {
      this.#startQueued = false;
      if (!this.isConnected || (this.#run && !this.#run.ended)) return;
      void this.#start();
    });
  }

  #config(): { api: string; key: string; agent: string } | null {
    const key = (this.getAttribute("key") ?? this.getAttribute("widget-key") ?? "").trim();
    const agent = (this.getAttribute("agent") ?? "").trim();
    if (!key || !agent) return null;
    const raw = (this.getAttribute("api") ?? "").trim() || SCRIPT_ORIGIN || location.origin;
    let api: string;
    try {
      api = new URL(raw, location.href).href.replace(/\/+$/, "");
    } catch {
      return null;
    }
    return { api, key, agent };
  }

  async #start(): Promise<void> {
    const cfg = this.#config();
    if (!cfg) {
      this.#setState("error", MESSAGES.notConfigured);
      return;
    }
    const run = new Run(cfg.api, cfg.key, cfg.agent);
    this.#run = run;
    this.#setState("connecting", MESSAGES.connecting);
    try {
      const session = await this.#createSession(run);
      run.session = session;
      if (run.ended) {
        // Removed (or hidden) while the session was being created: end it right away.
        this.#sendEnd(run);
        return;
      }
      this.#startHeartbeats(run);

      const avatar = new AvaturnHead(this.#stage, {
        sessionToken: session.token,
        ...(session.avaturn_api_host ? { apiHost: session.avaturn_api_host.replace(/\/+$/, "") } : {}),
      });
      run.avatar = avatar;
      const events = avatar as unknown as LooseEvents;
      events.on("error", (data) => {
        if (run === this.#run && !run.ended) this.#fail(run, avatarFailure(data, [session.token, run.key]));
      });
      events.on("idle", () => {
        if (run === this.#run && !run.ended) this.#end(MESSAGES.idle);
      });

      await withTimeout(avatar.init({ timeout: SDK_TRACK_TIMEOUT_MS }), INIT_TIMEOUT_MS, "Connecting to the avatar");
      if (run.ended || run !== this.#run) return;
      this.#setState("live", MESSAGES.live);
    } catch (err) {
      if (run.ended || run !== this.#run) return;
      let message: string;
      if (err instanceof WidgetError) message = err.message;
      else message = avatarFailure(err, [run.session?.token ?? "", run.key]);
      this.#fail(run, message);
    }
  }

  async #createSession(run: Run): Promise<WidgetSession> {
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
        // still gets created, and #start ends it as soon as its id is known.
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

    const problem = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    const type = asString(problem["type"]) ?? "";
    const title = asString(problem["title"]) ?? "";
    const detail = asString(problem["detail"]) ?? "";
    let message = friendlyProblem(resp.status, type, title);
    const extra = describe(detail || (message.includes(title) ? "" : title), [run.key]);
    if (extra) message = `${message} ${/[.!?…]$/.test(extra) ? extra : `${extra}.`}`;
    throw new WidgetError(message);
  }

  #startHeartbeats(run: Run): void {
    const hb = run.session?.heartbeat;
    if (!hb) return;
    let url: string;
    try {
      url = new URL(hb.url, `${run.api}/`).href;
    } catch {
      return;
    }
    const beat = async (): Promise<void> => {
      run.heartbeatTimer = null;
      if (run.ended) return;
      let endedByServer = false;
      try {
        const resp = await fetch(url, {
          method: "POST",
          credentials: "omit",
          headers: { Authorization: `Bearer ${hb.token}` },
          signal: run.abort.signal,
        });
        if (resp.status === 404 || resp.status === 410) endedByServer = true;
        else if (resp.ok) {
          const body: unknown = await resp.json().catch(() => null);
          const state = typeof body === "object" && body !== null ? (body as Record<string, unknown>)["state"] : undefined;
          if (typeof state === "string" && state !== "active" && state !== "starting") endedByServer = true;
        }
      } catch {
        // A missed heartbeat is not fatal; the next one may get through.
      }
      if (run.ended) return;
      if (endedByServer) {
        this.#end(MESSAGES.endedByServer, { notifyServer: false });
        return;
      }
      run.heartbeatTimer = setTimeout(() => void beat(), hb.interval_s * 1000);
    };
    run.heartbeatTimer = setTimeout(() => void beat(), hb.interval_s * 1000);
  }

  /** Show an error and end the session behind it. */
  #fail(run: Run, message: string): void {
    this.#setState("error", message);
    this.#finish(run, true);
  }

  /**
   * End the current attempt (idempotent). `message` null: end silently (restart).
   */
  #end(message: string | null, opts: { notifyServer?: boolean } = {}): void {
    const run = this.#run;
    if (!run || run.ended) return;
    this.#finish(run, opts.notifyServer ?? true);
    if (message !== null) this.#setState("ended", message);
  }

  #finish(run: Run, notifyServer: boolean): void {
    if (run.ended) return;
    run.ended = true;
    if (run.heartbeatTimer !== null) clearTimeout(run.heartbeatTimer);
    run.heartbeatTimer = null;
    if (notifyServer) this.#sendEnd(run);
    run.abort.abort(); // cancels a heartbeat in flight
    const avatar = run.avatar;
    run.avatar = null;
    if (avatar) {
      try {
        // dispose() throws if init() never created the call object; swallow both ways.
        Promise.resolve(avatar.dispose()).catch(() => undefined);
      } catch {
        // ignore
      }
    }
  }

  #sendEnd(run: Run): void {
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

  #setState(state: WidgetState, message: string): void {
    if (this.#state === state && this.#message === message) return;
    this.#state = state;
    this.#message = message;
    this.setAttribute("data-state", state);
    this.#bar.setAttribute("data-state", state);
    this.#status.setAttribute("data-state", state);
    this.#status.textContent = message;
    this.#retry.hidden = !(state === "ended" || state === "error") || !this.#config();
    const detail: GreenroomStateDetail = { state, message, sessionId: this.sessionId };
    this.dispatchEvent(new CustomEvent<GreenroomStateDetail>("greenroom-state", { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get(TAG)) {
  customElements.define(TAG, GreenroomAvatarElement);
}

declare global {
  interface HTMLElementTagNameMap {
    "greenroom-avatar": GreenroomAvatarElement;
  }
  interface HTMLElementEventMap {
    "greenroom-state": CustomEvent<GreenroomStateDetail>;
  }
}
