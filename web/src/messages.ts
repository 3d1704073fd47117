/** What the visitor reads: fixed messages, and plain words for problem answers and SDK failures. */

export const MESSAGES = {
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

export function asString(v: unknown): string | null {
  return typeof v === "string" && v.length > 0 ? v : null;
}

/** The visitor's message for a problem type (`/problems/<slug>`), else for the HTTP status. */
export function friendlyProblem(status: number, type: string, title: string): string {
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
    case "quota-exhausted": // 429 like a busy moment, but waiting a moment does not help
      return "This avatar has reached its usage limit and is unavailable for now.";
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

/** The message for a refused session create: the problem's plain words, then its detail (the key redacted). */
export function problemMessage(status: number, body: unknown, secrets: string[]): string {
  const problem = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const type = asString(problem["type"]) ?? "";
  const title = asString(problem["title"]) ?? "";
  const detail = asString(problem["detail"]) ?? "";
  const message = friendlyProblem(status, type, title);
  const extra = describe(detail || (message.includes(title) ? "" : title), secrets);
  return extra ? `${message} ${sentence(extra)}` : message;
}

/** A short, secret-free description of whatever the SDK rejected or emitted. */
export function describe(err: unknown, secrets: string[]): string {
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
export function plainDetail(detail: string): string {
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

export function avatarFailure(err: unknown, secrets: string[]): string {
  const detail = plainDetail(describe(err, secrets));
  if (!detail) return MESSAGES.avatarFailed;
  return `${MESSAGES.avatarFailed} ${sentence(detail)}`;
}

function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}
