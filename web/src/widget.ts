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
import { heartbeatUrl, startHeartbeats } from "./heartbeat";
import { MESSAGES, avatarFailure, problemMessage } from "./messages";
import { WidgetError, parseSession, type WidgetSession } from "./session";

export type WidgetState = "connecting" | "live" | "error" | "ended";

export interface GreenroomStateDetail {
  state: WidgetState;
  message: string;
  sessionId: string | null;
}

const TAG = "greenroom-avatar";

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
  /** Aborted when the attempt ends: stops the heartbeat loop and cancels a beat in flight. */
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
    throw new WidgetError(problemMessage(resp.status, body, [run.key]));
  }

  /** Heartbeats run from the moment the session exists, also while the SDK is still connecting. */
  #startHeartbeats(run: Run): void {
    const hb = run.session?.heartbeat;
    if (!hb) return;
    const url = heartbeatUrl(hb.url, run.api);
    if (!url) return;
    startHeartbeats({
      url,
      token: hb.token,
      intervalS: hb.interval_s,
      signal: run.abort.signal,
      onEndedByServer: () => {
        if (run === this.#run && !run.ended) this.#end(MESSAGES.endedByServer, { notifyServer: false });
      },
    });
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
    if (notifyServer) this.#sendEnd(run);
    run.abort.abort(); // stops the heartbeats, cancels one in flight
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
