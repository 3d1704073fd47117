import { describe, expect, it } from "vitest";
import { duration, minutes, since } from "./format";

describe("format", () => {
  it("writes durations plainly", () => {
    expect(duration(0)).toBe("0 s");
    expect(duration(42)).toBe("42 s");
    expect(duration(3725)).toBe("1 h 2 min 5 s");
    expect(duration(120)).toBe("2 min");
    expect(duration(null)).toBe("—");
  });

  it("writes minutes with a decimal only where it matters", () => {
    expect(minutes(90)).toBe("1.5");
    expect(minutes(120)).toBe("2");
    expect(minutes(6001)).toBe("100");
    expect(minutes(2)).toBe("under 0.1");
    expect(minutes(0)).toBe("0");
  });

  it("writes time since", () => {
    const now = Date.parse("2026-01-01T01:00:00Z");
    expect(since("2026-01-01T00:59:30Z", now)).toBe("30 s");
    expect(since("2026-01-01T00:30:00Z", now)).toBe("30 min");
    expect(since("2025-12-31T23:00:00Z", now)).toBe("2 h 0 min");
  });
});
