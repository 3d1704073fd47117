import { describe, expect, it } from "vitest";
import { changes } from "./diff";

describe("audit before/after", () => {
  it("flattens nested members and marks what changed", () => {
    const out = changes({ name: "A", engine: { voice: "marin", speed: 1 } }, { name: "A", engine: { voice: "cedar", speed: 1 } });
    expect(out).toEqual([
      { key: "engine.speed", before: "1", after: "1", changed: false },
      { key: "engine.voice", before: '"marin"', after: '"cedar"', changed: true },
      { key: "name", before: '"A"', after: '"A"', changed: false },
    ]);
  });

  it("shows a creation and a deletion", () => {
    expect(changes(null, { role: "viewer" })).toEqual([{ key: "role", before: undefined, after: '"viewer"', changed: true }]);
    expect(changes({ tools: [1] }, null)).toEqual([{ key: "tools", before: "[1]", after: undefined, changed: true }]);
  });
});
