// @vitest-environment happy-dom
/**
 * The <greenroom-avatar> element's lifecycle against a stand-in server and SDK: it beats from the moment its
 * session exists (also while the SDK is still connecting), and it ends its session exactly once when it leaves
 * the page, the page is hidden, or the server ended it. The real SDK, app and browser: tests/browser/.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The Avaturn SDK stand-in: init() stays pending (the video is still connecting) unless a test says otherwise.
const sdk = vi.hoisted(() => ({
  heads: [] as { opts: Record<string, unknown>; inits: number; disposed: number }[],
}));
vi.mock("@avaturn-live/web-sdk", () => ({
  AvaturnHead: class {
    state: { opts: Record<string, unknown>; inits: number; disposed: number };
    constructor(_el: HTMLElement, opts: Record<string, unknown>) {
      this.state = { opts, inits: 0, disposed: 0 };
      sdk.heads.push(this.state);
    }
    on(): void {}
    init(): Promise<void> {
      this.state.inits += 1;
      return new Promise<void>(() => undefined);
    }
    dispose(): Promise<void> {
      this.state.disposed += 1;
      return Promise.resolve();
    }
  },
}));

import "../src/widget";
import { MESSAGES } from "../src/messages";

const API = "https://gr.example";
const KEY = "gr_pk_test";
const SID = "5f0c2a8e-3c1b-4e0a-9b7e-2d3c4f5a6b7c";
const INTERVAL_S = 5;
const HB_URL = `${API}/v1/widget/sessions/${SID}/heartbeat`;
const END_URL = `${API}/v1/widget/sessions/${SID}/end`;

interface Answer {
  status: number;
  body?: unknown;
}
type Call = { url: string; init: RequestInit };

let calls: Call[];
let createAnswer: () => Answer | Promise<Answer>;
let beatAnswer: () => Answer;

function answer(a: Answer): Response {
  return { ok: a.status >= 200 && a.status < 300, status: a.status, json: async () => a.body } as Response;
}

const sessionAnswer = (): Answer => ({
  status: 201,
  body: {
    session_id: SID, token: "tok_sdk", avaturn_api_host: "https://sim.example/", expires_at: "2026-11-25T15:00:01Z",
    heartbeat: { url: HB_URL, token: "gr_st_hb", interval_s: INTERVAL_S },
  },
});

const beats = () => calls.filter((c) => c.url === HB_URL);
const ends = () => calls.filter((c) => c.url === END_URL);

/** Let the element's promise chains run (the stand-ins answer on microtasks only). */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

async function mount(attrs: Record<string, string> = { key: KEY, agent: "demo", api: API }) {
  const el = document.createElement("greenroom-avatar");
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  await settle();
  return el;
}

beforeEach(() => {
  vi.useFakeTimers();
  calls = [];
  sdk.heads.length = 0;
  createAnswer = sessionAnswer;
  beatAnswer = () => ({ status: 200, body: { state: "active", ends_at: null } });
  vi.stubGlobal("fetch", vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    if (url === `${API}/v1/widget/sessions`) return answer(await createAnswer());
    if (url === HB_URL) return answer(beatAnswer());
    if (url === END_URL) return answer({ status: 200, body: { state: "ended" } });
    throw new TypeError("Failed to fetch");
  }));
});

afterEach(() => {
  document.body.replaceChildren();
  vi.useRealTimers();
});

describe("<greenroom-avatar>", () => {
  it("has its session and beats while the SDK is still connecting", async () => {
    const el = await mount();
    expect(calls[0]!.url).toBe(`${API}/v1/widget/sessions`);
    expect(calls[0]!.init.method).toBe("POST");
    expect(calls[0]!.init.body).toBe(JSON.stringify({ agent: "demo" }));
    expect((calls[0]!.init.headers as Record<string, string>)["Authorization"]).toBe(`Bearer ${KEY}`);
    expect(sdk.heads).toHaveLength(1);
    expect(sdk.heads[0]!.opts).toEqual({ sessionToken: "tok_sdk", apiHost: "https://sim.example" });
    expect(sdk.heads[0]!.inits).toBe(1);
    expect(el.state).toBe("connecting");
    expect(el.sessionId).toBe(SID);

    await vi.advanceTimersByTimeAsync(INTERVAL_S * 1000);
    expect(beats()).toHaveLength(1);
    expect(beats()[0]!.init.headers).toEqual({ Authorization: "Bearer gr_st_hb" });
    await vi.advanceTimersByTimeAsync(INTERVAL_S * 1000 * 2);
    expect(beats()).toHaveLength(3);
    expect(el.state).toBe("connecting");
    expect(ends()).toHaveLength(0);
  });

  it("ends its session once when removed, stops beating and lets go of the SDK", async () => {
    const el = await mount();
    await vi.advanceTimersByTimeAsync(INTERVAL_S * 1000);
    expect(beats()).toHaveLength(1);
    const seen: string[] = [];
    el.addEventListener("greenroom-state", (e) => seen.push(e.detail.state));

    el.remove();
    await settle();
    expect(ends()).toHaveLength(1);
    expect(ends()[0]!.init.method).toBe("POST");
    expect(ends()[0]!.init.keepalive).toBe(true); // survives the page going away
    expect(ends()[0]!.init.headers).toEqual({ Authorization: "Bearer gr_st_hb" });
    expect(el.state).toBe("ended");
    expect(seen).toEqual(["ended"]);
    expect(sdk.heads[0]!.disposed).toBe(1);

    await vi.advanceTimersByTimeAsync(INTERVAL_S * 1000 * 10);
    expect(beats()).toHaveLength(1);
    expect(ends()).toHaveLength(1);
  });

  it("keeps the conversation when moved within the page", async () => {
    const el = await mount();
    const other = document.createElement("div");
    document.body.append(other);
    other.append(el); // remove + insert in one task
    await settle();
    await vi.advanceTimersByTimeAsync(INTERVAL_S * 1000 * 2);
    expect(ends()).toHaveLength(0);
    expect(beats()).toHaveLength(2);
    expect(el.state).toBe("connecting");
    expect(sdk.heads).toHaveLength(1);
  });

  it("ends its session on pagehide", async () => {
    const el = await mount();
    window.dispatchEvent(new Event("pagehide"));
    await settle();
    expect(ends()).toHaveLength(1);
    expect(el.state).toBe("ended");
    await vi.advanceTimersByTimeAsync(INTERVAL_S * 1000 * 3);
    expect(beats()).toHaveLength(0);
  });

  it("ends its session when the page becomes hidden, not while it stays visible", async () => {
    const el = await mount();
    document.dispatchEvent(new Event("visibilitychange")); // still visible
    await settle();
    expect(ends()).toHaveLength(0);
    vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    document.dispatchEvent(new Event("visibilitychange"));
    await settle();
    expect(ends()).toHaveLength(1);
    expect(el.state).toBe("ended");
    await vi.advanceTimersByTimeAsync(INTERVAL_S * 1000 * 3);
    expect(beats()).toHaveLength(0);
  });

  it("removed while its session is being created: ends it as soon as its id is known, never beats", async () => {
    let release: (a: Answer) => void = () => undefined;
    createAnswer = () => new Promise<Answer>((r) => (release = r));
    const el = await mount();
    expect(calls).toHaveLength(1);
    el.remove();
    await settle();
    expect(ends()).toHaveLength(0); // no id yet
    release(sessionAnswer());
    await settle();
    expect(ends()).toHaveLength(1);
    expect(sdk.heads).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(INTERVAL_S * 1000 * 3);
    expect(beats()).toHaveLength(0);
  });

  it("stops when the server ended the session, says so, and does not send an end of its own", async () => {
    const el = await mount();
    beatAnswer = () => ({ status: 200, body: { state: "terminated", ends_at: "2026-11-25T14:10:00Z" } });
    await vi.advanceTimersByTimeAsync(INTERVAL_S * 1000);
    expect(beats()).toHaveLength(1);
    expect(el.state).toBe("ended");
    expect(el.shadowRoot!.querySelector("[part=status]")!.textContent).toBe(MESSAGES.endedByServer);
    expect(sdk.heads[0]!.disposed).toBe(1);
    el.remove();
    await vi.advanceTimersByTimeAsync(INTERVAL_S * 1000 * 3);
    expect(beats()).toHaveLength(1);
    expect(ends()).toHaveLength(0);
  });

  it("a refused create shows the problem in plain words and starts nothing", async () => {
    createAnswer = () => ({
      status: 403, body: { type: "/problems/origin-not-allowed", title: "This origin may not use this widget key", status: 403 },
    });
    const el = await mount();
    expect(el.state).toBe("error");
    expect(el.shadowRoot!.querySelector("[part=status]")!.textContent).toMatch(/^This site is not allowed to use this avatar\./);
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>("[part=retry]")!.hidden).toBe(false);
    await vi.advanceTimersByTimeAsync(INTERVAL_S * 1000 * 3);
    expect(sdk.heads).toHaveLength(0);
    expect(calls).toHaveLength(1);
  });

  it("without key and agent it says so and asks nothing", async () => {
    const el = await mount({ api: API });
    expect(el.state).toBe("error");
    expect(el.shadowRoot!.querySelector("[part=status]")!.textContent).toBe(MESSAGES.notConfigured);
    expect(calls).toHaveLength(0);
  });
});
