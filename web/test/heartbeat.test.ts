/** The heartbeat loop: when it beats, what it sends, and exactly when it stops. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { beatOutcome, heartbeatUrl, startHeartbeats } from "../src/heartbeat";

const URL_ = "https://gr.example/v1/widget/sessions/s1/heartbeat";

interface Answer {
  status: number;
  body?: unknown;
}

/** A stand-in for the server's heartbeat endpoint: answers from `answer`, records every call. */
function endpoint(answer: (n: number) => Answer | Error | Promise<Answer>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchStub = vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const a = await answer(calls.length);
    if (a instanceof Error) throw a;
    return { ok: a.status >= 200 && a.status < 300, status: a.status, json: async () => a.body } as Response;
  });
  vi.stubGlobal("fetch", fetchStub);
  return calls;
}

function loop(intervalS = 20) {
  const controller = new AbortController();
  const onEndedByServer = vi.fn();
  startHeartbeats({ url: URL_, token: "hb-token", intervalS, signal: controller.signal, onEndedByServer });
  return { controller, onEndedByServer };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("startHeartbeats", () => {
  it("beats every interval from the start, the first one an interval after it", async () => {
    const calls = endpoint(() => ({ status: 200, body: { state: "active" } }));
    loop(20);
    await vi.advanceTimersByTimeAsync(19_999);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(URL_);
    expect(calls[0]!.init.method).toBe("POST");
    expect(calls[0]!.init.credentials).toBe("omit");
    expect(calls[0]!.init.headers).toEqual({ Authorization: "Bearer hb-token" });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(40_000);
    expect(calls).toHaveLength(4);
  });

  it("counts the next interval from the answer, so a slow answer never overlaps the next beat", async () => {
    let release: (a: Answer) => void = () => undefined;
    const calls = endpoint((n) => (n === 1 ? new Promise<Answer>((r) => (release = r)) : { status: 200, body: { state: "active" } }));
    loop(20);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100_000);
    expect(calls).toHaveLength(1);
    release({ status: 200, body: { state: "active" } });
    await vi.advanceTimersByTimeAsync(19_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
  });

  it("goes on after a failed beat (network error, server error, unreadable answer)", async () => {
    const answers: (Answer | Error)[] = [new TypeError("Failed to fetch"), { status: 500 }, { status: 503 }, { status: 200, body: null }];
    const calls = endpoint((n) => answers[n - 1] ?? { status: 200, body: { state: "active" } });
    const { onEndedByServer } = loop(5);
    await vi.advanceTimersByTimeAsync(5_000 * 6);
    expect(calls).toHaveLength(6);
    expect(onEndedByServer).not.toHaveBeenCalled();
  });

  it.each([
    ["state ended", { status: 200, body: { state: "ended" } }],
    ["state terminated", { status: 200, body: { state: "terminated" } }],
    ["state failed", { status: 200, body: { state: "failed" } }],
    ["401 (unknown session or token)", { status: 401 }],
    ["404", { status: 404 }],
    ["410", { status: 410 }],
  ])("stops and reports once when the server answers %s", async (_name, answer) => {
    const calls = endpoint((n) => (n === 2 ? answer : { status: 200, body: { state: "active" } }));
    const { onEndedByServer } = loop(5);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(2);
    expect(onEndedByServer).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
    expect(onEndedByServer).toHaveBeenCalledOnce();
  });

  it("never beats when aborted before the first beat", async () => {
    const calls = endpoint(() => ({ status: 200, body: { state: "active" } }));
    const { controller } = loop(5);
    await vi.advanceTimersByTimeAsync(4_000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(0);
  });

  it("cancels a beat in flight when aborted, and schedules none after it", async () => {
    const calls = endpoint((n) => (n === 2 ? new Promise<Answer>(() => undefined) : { status: 200, body: { state: "active" } }));
    const { controller, onEndedByServer } = loop(5);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.init.signal?.aborted).toBe(false);
    controller.abort();
    expect(calls[1]!.init.signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
    expect(onEndedByServer).not.toHaveBeenCalled();
  });

  it("does not start at all on an already aborted signal", async () => {
    const calls = endpoint(() => ({ status: 200, body: { state: "active" } }));
    const controller = new AbortController();
    controller.abort();
    startHeartbeats({ url: URL_, token: "t", intervalS: 1, signal: controller.signal, onEndedByServer: vi.fn() });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(0);
  });
});

describe("beatOutcome", () => {
  it.each([
    [200, { state: "active", ends_at: null }, "alive"],
    [200, { state: "starting" }, "alive"],
    [200, { state: "ended" }, "ended"],
    [200, { state: "terminated" }, "ended"],
    [200, { state: "failed" }, "ended"],
    [200, null, "unknown"],
    [200, { state: 3 }, "unknown"],
    [401, null, "ended"],
    [404, null, "ended"],
    [410, null, "ended"],
    [429, null, "unknown"],
    [500, null, "unknown"],
    [502, null, "unknown"],
  ])("%i %j is %s", (status, body, outcome) => {
    expect(beatOutcome(status, body)).toBe(outcome);
  });
});

describe("heartbeatUrl", () => {
  it("keeps an absolute URL and resolves a relative one against the API base", () => {
    expect(heartbeatUrl(URL_, "https://other.example")).toBe(URL_);
    expect(heartbeatUrl("/v1/widget/sessions/s1/heartbeat", "https://gr.example/base")).toBe(URL_);
    expect(heartbeatUrl("v1/x", "https://gr.example/base")).toBe("https://gr.example/base/v1/x");
  });

  it("is null for a URL that cannot be used", () => {
    expect(heartbeatUrl("http://[bad", "not a base")).toBeNull();
  });
});
