/** What a visitor reads when a session cannot start or the avatar fails: plain words, never a key. */
import { describe, expect, it } from "vitest";
import { MESSAGES, avatarFailure, problemMessage } from "../src/messages";

const KEY = "gr_pk_secret123456";

/** A problem answer as the app sends it (app/errors.py: type `/problems/<slug>`). */
function problem(slug: string, status: number, title: string, detail?: string) {
  return { type: `/problems/${slug}`, title, status, ...(detail ? { detail } : {}) };
}

describe("problemMessage", () => {
  // Every problem POST /v1/widget/sessions can answer (WIDGET_PROBLEMS in app/broker/widget.py).
  it.each([
    ["invalid-request", 400, "The request is not valid", "The avatar could not be started: the request was not accepted."],
    ["unknown-key", 401, "Unknown or revoked key", "This widget key is unknown or has been revoked."],
    ["tenant-suspended", 403, "The tenant is suspended", "This avatar is currently unavailable."],
    ["origin-not-allowed", 403, "This origin may not use this widget key", "This site is not allowed to use this avatar."],
    ["agent-not-allowed", 403, "This widget key may not start this agent", "This widget key may not start this avatar."],
    ["unknown-agent", 404, "Unknown agent", "This avatar does not exist."],
    ["missing-credential", 409, "The tenant has no provider key for this engine", "This avatar is not fully set up yet."],
    ["concurrency-limit", 429, "Too many live sessions", "Too many conversations are running right now. Please try again in a moment."],
    ["rate-limited", 429, "Too many new sessions", "Too many conversations are running right now. Please try again in a moment."],
    ["quota-exhausted", 429, "This month's minutes are used up", "This avatar has reached its usage limit and is unavailable for now."],
    ["upstream-auth-failed", 502, "The provider rejected the tenant's key", "The avatar service is having trouble. Please try again later."],
    ["upstream-busy", 503, "The provider is limiting requests", "The avatar service is having trouble. Please try again later."],
    ["upstream-timeout", 504, "The provider did not answer in time", "The avatar service is having trouble. Please try again later."],
    ["internal-error", 500, "Internal error", "The avatar service is having trouble. Please try again later."],
  ])("%s (%i) reads %j, then the title", (slug, status, title, expected) => {
    expect(problemMessage(status, problem(slug, status, title), [KEY])).toBe(`${expected} ${title}.`);
  });

  it("appends the problem's detail instead of its title", () => {
    const body = problem("concurrency-limit", 429, "Too many live sessions", "The tenant allows 2 live session(s) at once and has 2; end one or retry.");
    expect(problemMessage(429, body, [KEY])).toBe(
      "Too many conversations are running right now. Please try again in a moment. " +
        "The tenant allows 2 live session(s) at once and has 2; end one or retry.",
    );
  });

  it("never shows the widget key, even where the server's detail names it", () => {
    const body = problem("unknown-key", 401, "Unknown or revoked key", `No such key ${KEY}`);
    const message = problemMessage(401, body, [KEY]);
    expect(message).not.toContain(KEY);
    expect(message).toBe("This widget key is unknown or has been revoked. No such key …");
  });

  it.each([
    [401, "This widget key is unknown or has been revoked."],
    [403, "This site is not allowed to use this avatar."],
    [404, "This avatar does not exist."],
    [429, "Too many conversations are running right now. Please try again in a moment."],
    [502, "The avatar service is having trouble. Please try again later."],
    [418, "The avatar could not be started."],
  ])("falls back on the status %i when the body is no problem document", (status, expected) => {
    expect(problemMessage(status, null, [KEY])).toBe(expected);
    expect(problemMessage(status, "<html>proxy error</html>", [KEY])).toBe(expected);
  });

  it("shows an unknown problem's title", () => {
    expect(problemMessage(422, problem("brand-new", 422, "Something new"), [])).toBe("The avatar could not be started: Something new.");
  });
});

describe("avatarFailure", () => {
  it.each([
    [new Error("Failed to load call object bundle https://c.daily.co/call-machine/versioned/x.js"), "The video service could not be reached."],
    [{ type: "error", data: { code: "limits_exceeded", message: "limit" } }, "The usage limit was reached."],
    [{ error: "internal_error" }, "The avatar service had an internal error."],
    [new Error("Connecting to the avatar timed out"), "The avatar did not start in time."],
    [new Error("Request failed with status code 401"), "The avatar session was not accepted."],
    [new Error("Request failed with status code 503"), "The avatar service is having trouble."],
    [new TypeError("Failed to fetch"), "The avatar service could not be reached."],
  ])("puts a known SDK failure in plain words (%s)", (err, plain) => {
    expect(avatarFailure(err, [])).toBe(`${MESSAGES.avatarFailed} ${plain}`);
  });

  it("shows an unknown failure shortened and without the session token", () => {
    const token = "tok_sdk_very_secret";
    const message = avatarFailure(new Error(`weird failure for ${token} ${"x".repeat(300)}`), [token]);
    expect(message).not.toContain(token);
    expect(message.startsWith(`${MESSAGES.avatarFailed} weird failure for …`)).toBe(true);
    expect(message.length).toBeLessThan(MESSAGES.avatarFailed.length + 170);
  });

  it("is the plain failure message when nothing can be said", () => {
    expect(avatarFailure({}, [])).toBe(MESSAGES.avatarFailed);
  });
});
