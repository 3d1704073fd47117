import { describe, expect, it } from "vitest";
import { budgetView } from "./budget";

const base = { rounding: "second", resets_at: "2026-12-01T00:00:00Z" };

describe("budget", () => {
  it("has no bar without a budget", () => {
    expect(budgetView({ ...base, monthly_minutes: null, used_seconds: 500, remaining_seconds: null })).toMatchObject({ limited: false, refusing: false });
  });

  it("says new sessions are refused with under a minute left, though the bar is far from full", () => {
    const v = budgetView({ ...base, monthly_minutes: 1, used_seconds: 16, remaining_seconds: 44 });
    expect(v.refusing).toBe(true);
    expect(v.tone).toBe("full");
    expect(Math.round(v.percent)).toBe(27);
  });

  it("counts whole minutes where the plan bills per started minute", () => {
    expect(budgetView({ ...base, rounding: "minute", monthly_minutes: 10, used_seconds: 500, remaining_seconds: 100 }).refusing).toBe(false);
    expect(budgetView({ ...base, rounding: "minute", monthly_minutes: 10, used_seconds: 541, remaining_seconds: 59 }).refusing).toBe(true);
  });

  it("warns from 80 %", () => {
    expect(budgetView({ ...base, monthly_minutes: 10, used_seconds: 480, remaining_seconds: 120 }).tone).toBe("warn");
  });
});
