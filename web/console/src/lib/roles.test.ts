import { describe, expect, it } from "vitest";
import { canWrite, mayGrant } from "./roles";

describe("roles", () => {
  it("lets owners and admins write, and nobody else", () => {
    expect(["owner", "admin", "billing", "viewer", null].map(canWrite)).toEqual([true, true, false, false, false]);
  });

  it("lets only an owner make or unmake an owner", () => {
    expect(mayGrant("owner", "owner")).toBe(true);
    expect(mayGrant("admin", "owner")).toBe(false);
    expect(mayGrant("admin", "viewer")).toBe(true);
    expect(mayGrant("billing", "viewer")).toBe(false);
  });
});
