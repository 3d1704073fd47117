import { describe, expect, it } from "vitest";
import { monthRange, reportRows, thisMonth, usageByTenant } from "./report";

describe("usage report", () => {
  it("reads the rows of a breakdown", () => {
    const answer = {
      rows: [
        { period: "2026-11-01", widget_key: "k1", widget_key_label: "shop", sessions: 2, upstream_seconds: 61, billed_seconds: 120 },
        { period: "2026-11-01", widget_key: null, sessions: 1, upstream_seconds: 5, billed_seconds: 60 },
      ],
    };
    expect(reportRows(answer, "widget_key")).toEqual([
      { period: "2026-11-01", key: "k1", label: "shop", sessions: 2, upstream_seconds: 61, billed_seconds: 120 },
      { period: "2026-11-01", key: null, label: null, sessions: 1, upstream_seconds: 5, billed_seconds: 60 },
    ]);
  });

  it("survives an answer of another shape", () => {
    expect(reportRows(null, "agent")).toEqual([]);
    expect(reportRows({ rows: [1, null] }, "agent")).toEqual([]);
  });

  it("knows the days of a month", () => {
    expect(monthRange("2026-02")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(monthRange("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(monthRange("2026-12")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(thisMonth(new Date("2026-11-30T23:59:00Z"))).toBe("2026-11");
  });

  it("reads the operator's report by tenant", () => {
    const answer = { rows: [{ tenant: "a", tenant_id: "t1", sessions: 3, billed_seconds: 90 }, { tenant: "b" }] };
    expect([...usageByTenant(answer)]).toEqual([["t1", { sessions: 3, billed_seconds: 90 }]]);
  });
});
