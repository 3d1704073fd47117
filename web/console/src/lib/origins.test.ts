import { describe, expect, it } from "vitest";
import { originListProblems, originProblem, splitOrigins } from "./origins";

describe("widget-key origins", () => {
  it("takes what browsers send", () => {
    for (const ok of ["https://shop.example", "http://127.0.0.1:8123", "http://localhost:3000", "https://a-b.c.example:443", "http://[::1]:8000"]) {
      expect(originProblem(ok), ok).toBeNull();
    }
  });

  it("refuses paths, trailing slashes, user names, other schemes and port 0, saying why", () => {
    expect(originProblem("https://shop.example/")).toMatch(/trailing/);
    expect(originProblem("https://shop.example/cart")).toMatch(/no path/);
    expect(originProblem("shop.example")).toMatch(/https:\/\//);
    expect(originProblem("ftp://shop.example")).toMatch(/https:\/\//);
    expect(originProblem("https://bob@shop.example")).toMatch(/user name/);
    expect(originProblem("https://shop.example:0")).not.toBeNull();
    expect(originProblem("https://shop.example:65536")).not.toBeNull();
    expect(originProblem("https://*.example")).not.toBeNull();
  });

  it("splits a pasted list and checks it whole", () => {
    expect(splitOrigins(" https://a.example,\nhttps://b.example  ")).toEqual(["https://a.example", "https://b.example"]);
    expect(originListProblems([])).toHaveLength(1);
    expect(originListProblems(["https://a.example", "https://a.example"])).toEqual(["https://a.example is listed twice."]);
    expect(originListProblems(["https://a.example"])).toEqual([]);
  });
});
