/**
 * The <greenroom-avatar> element itself: reads its attributes, runs one connection attempt at a time (session,
 * heartbeats, SDK) and ends each attempt exactly once: when the element leaves the page (a move within the page
 * keeps it), when the page is hidden, on a restart, after a failure, or when the server or the SDK ended it; the
 * server is told unless it ended the session itself. Every state change is painted on the view and announced with
 * a `greenroom-state` event. The contract pages rely on is in widget.ts, the bundle's entry, which defines the
 * element.
 */
import { AvaturnHead } from "@avaturn-live/web-sdk";
import { createSession, sendEnd } from "./api";
import { heartbeatUrl, startHeartbeats } from "./heartbeat";
import { MESSAGES, avatarFailure } from "./messages";
import { INIT_TIMEOUT_MS, Run, SDK_TRACK_TIMEOUT_MS, withTimeout, type LooseEvents } from "./run";
import { WidgetError } from "./session";
import { buildView, paintState, type View } from "./view";

export type WidgetState = "connecting" | "live" | "error" | "ended";

export interface GreenroomStateDetail {
  state: WidgetState;
  message: string;
  sessionId: string | null;
}

/**
 * Default Greenroom base URL: the origin of the script that loaded widget.js.
 * `document.currentScript` is only set while the script itself is being evaluated, so this is read once, when
 * this module loads (in the bundle: while widget.js runs, top-level), never lazily.
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

export class GreenroomAvatarElement extends HTMLElement {
  static readonly observedAttributes = ["key", "widget-key", "agent", "api"];

  #state: WidgetState | null = null;
  #message = "";
  #run: Run | null = null;
  #startQueued = false;
  readonly #view: View;

  constructor() {
    super();
    this.#view = buildView(this.attachShadow({ mode: "open" }), () => this.#restart());
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
      const session = await createSession(run);
      run.session = session;
      if (run.ended) {
        // Removed (or hidden) while the session was being created: end it right away.
        sendEnd(run);
        return;
      }
      this.#startHeartbeats(run);

      const avatar = new AvaturnHead(this.#view.stage, {
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
    if (notifyServer) sendEnd(run);
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

  #setState(state: WidgetState, message: string): void {
    if (this.#state === state && this.#message === message) return;
    this.#state = state;
    this.#message = message;
    this.setAttribute("data-state", state);
    paintState(this.#view, state, message, (state === "ended" || state === "error") && this.#config() !== null);
    const detail: GreenroomStateDetail = { state, message, sessionId: this.sessionId };
    this.dispatchEvent(new CustomEvent<GreenroomStateDetail>("greenroom-state", { detail, bubbles: true, composed: true }));
  }
}
