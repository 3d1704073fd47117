import { describe as suite, expect, it } from "vitest";
import { ApiError, describe, fieldMessage, namesAnyField } from "./problem";

suite("problems", () => {
  const malformed = new ApiError(422, {
    type: "/problems/credential-malformed",
    title: "The key is not a key of this provider",
    status: 422,
    detail: "An OpenAI key starts with sk-.",
    errors: [{ key: "secret", source: "body", message: "starts with sk-" }],
  });

  it("shows the title and the server's detail", () => {
    expect(describe(malformed)).toEqual({
      title: "The key is not a key of this provider",
      detail: "An OpenAI key starts with sk-.",
    });
    expect(malformed.slug).toBe("credential-malformed");
  });

  it("puts a named field's message next to that field, and only there", () => {
    expect(fieldMessage(malformed, "secret")).toBe("starts with sk-");
    expect(fieldMessage(malformed, "label")).toBeUndefined();
    expect(namesAnyField(malformed, ["label", "secret"])).toBe(true);
  });

  it("finds nested and listed fields under their form field", () => {
    const nested = new ApiError(400, {
      type: "/problems/invalid-request",
      title: "The request is not valid",
      status: 400,
      errors: [
        { key: "engine.agent_id", message: "Field required" },
        { key: "allowed_origins.1", message: "not an origin" },
      ],
    });
    expect(fieldMessage(nested, "engine")).toBe("Field required");
    expect(fieldMessage(nested, "engine.agent_id")).toBe("Field required");
    expect(fieldMessage(nested, "allowed_origins")).toBe("not an origin");
    expect(fieldMessage(nested, "engine.agent")).toBeUndefined();
  });

  it("ignores malformed error lists", () => {
    const odd = new ApiError(400, { type: "/problems/x", title: "X", status: 400, errors: [{ key: 1 }, "no"] });
    expect(odd.fields).toEqual([]);
  });

  it("does not repeat a detail that only restates the title", () => {
    const same = new ApiError(404, { type: "/problems/not-found", title: "Not found", status: 404, detail: "Not found" });
    expect(describe(same)).toEqual({ title: "Not found", detail: null });
  });

  it("says plainly when there was no problem document or no answer", () => {
    expect(describe(new ApiError(502, "<html>")).title).toBe("Greenroom could not answer");
    expect(describe(new TypeError("Failed to fetch")).title).toBe("Greenroom could not be reached");
  });
});
