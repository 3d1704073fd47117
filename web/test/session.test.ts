/** Reading the session answer: what the widget relies on, and that anything malformed is a readable error. */
import { describe, expect, it } from "vitest";
import { MESSAGES } from "../src/messages";
import { DEFAULT_INTERVAL_S, WidgetError, parseSession } from "../src/session";

// The shape of `SessionStarted` (app/broker/schemas.py), as the server sends it.
const ANSWER = {
  session_id: "5f0c2a8e-3c1b-4e0a-9b7e-2d3c4f5a6b7c",
  token: "tok_sdk",
  avaturn_api_host: "https://api.avaturn.live",
  expires_at: "2026-11-25T15:00:01Z",
  heartbeat: {
    url: "https://greenroom.example.com/v1/widget/sessions/5f0c2a8e-3c1b-4e0a-9b7e-2d3c4f5a6b7c/heartbeat",
    token: "gr_st_abc",
    interval_s: 20,
  },
};

describe("parseSession", () => {
  it("reads every field of a good answer", () => {
    expect(parseSession(ANSWER)).toEqual({
      session_id: ANSWER.session_id,
      token: "tok_sdk",
      avaturn_api_host: "https://api.avaturn.live",
      expires_at: "2026-11-25T15:00:01Z",
      heartbeat: { url: ANSWER.heartbeat.url, token: "gr_st_abc", interval_s: 20 },
    });
  });

  it("uses the server's interval, whatever it is", () => {
    expect(parseSession({ ...ANSWER, heartbeat: { ...ANSWER.heartbeat, interval_s: 1 } }).heartbeat?.interval_s).toBe(1);
  });

  it.each([undefined, 0, -5, "20", null])("falls back to the default interval for interval_s %j", (interval) => {
    const parsed = parseSession({ ...ANSWER, heartbeat: { ...ANSWER.heartbeat, interval_s: interval } });
    expect(parsed.heartbeat?.interval_s).toBe(DEFAULT_INTERVAL_S);
  });

  it.each([
    ["no heartbeat", { ...ANSWER, heartbeat: undefined }],
    ["heartbeat not an object", { ...ANSWER, heartbeat: "x" }],
    ["heartbeat without url", { ...ANSWER, heartbeat: { token: "t", interval_s: 20 } }],
    ["heartbeat without token", { ...ANSWER, heartbeat: { url: "/hb", token: "", interval_s: 20 } }],
  ])("has no heartbeat with %s", (_name, body) => {
    expect(parseSession(body).heartbeat).toBeNull();
  });

  it("treats missing optional fields as null", () => {
    const parsed = parseSession({ session_id: "s", token: "t" });
    expect(parsed.avaturn_api_host).toBeNull();
    expect(parsed.expires_at).toBeNull();
  });

  it.each([
    ["null", null],
    ["a string", "created"],
    ["no session_id", { ...ANSWER, session_id: undefined }],
    ["an empty token", { ...ANSWER, token: "" }],
    ["a numeric session_id", { ...ANSWER, session_id: 42 }],
  ])("refuses %s with the 'unexpected answer' message", (_name, body) => {
    expect(() => parseSession(body)).toThrow(WidgetError);
    expect(() => parseSession(body)).toThrow(MESSAGES.badAnswer);
  });
});
