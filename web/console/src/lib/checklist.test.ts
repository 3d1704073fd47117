import { describe, expect, it } from "vitest";
import type { components } from "../api/schema";
import { checklist, missingForEngine } from "./checklist";

type Credential = components["schemas"]["CredentialOut"];

function cred(provider: string, status = "valid"): Credential {
  return { id: provider, provider, label: "default", last4: "abcd", fingerprint: "f", status, verified_at: null, created_at: "2026-01-01T00:00:00Z" };
}

describe("getting-started checklist", () => {
  const empty = { credentials: [], agents: [], widgetKeys: [], widgetSessionSeen: false };

  it("starts with nothing done and says what keys are needed", () => {
    const steps = checklist(empty);
    expect(steps.map((s) => s.done)).toEqual([false, false, false, false]);
    expect(steps[0]?.hint).toContain("Avaturn");
  });

  it("needs Avaturn and an engine key, and an invalid key does not count", () => {
    expect(checklist({ ...empty, credentials: [cred("openai")] })[0]?.done).toBe(false);
    expect(checklist({ ...empty, credentials: [cred("openai"), cred("avaturn", "invalid")] })[0]?.done).toBe(false);
    expect(checklist({ ...empty, credentials: [cred("cartesia"), cred("avaturn", "unverified")] })[0]?.done).toBe(true);
  });

  it("does not count a revoked widget key", () => {
    const key = { id: "k", label: "default", key: "gr_pk_x", allowed_origins: ["https://a.example"], agent_id: null, rate_per_minute: null, visitor_rate_per_minute: null, max_concurrent_sessions: null, created_at: "", revoked_at: "2026-01-02T00:00:00Z" };
    expect(checklist({ ...empty, widgetKeys: [key] })[2]?.done).toBe(false);
    expect(checklist({ ...empty, widgetKeys: [{ ...key, revoked_at: null }] })[2]?.done).toBe(true);
  });

  it("names the keys an engine lacks", () => {
    expect(missingForEngine([cred("openai")], "openai-realtime")).toEqual(["avaturn"]);
    expect(missingForEngine([cred("avaturn")], "cartesia")).toEqual(["cartesia"]);
  });
});
