import { describe, expect, it } from "vitest";
import { embedSnippet } from "./snippet";

describe("embed snippet", () => {
  it("loads this deployment's widget.js and names the key and agent", () => {
    expect(embedSnippet("https://greenroom.example/", "gr_pk_abc", "front-desk")).toBe(
      '<script src="https://greenroom.example/widget.js" defer></script>\n' +
        '<greenroom-avatar key="gr_pk_abc" agent="front-desk"></greenroom-avatar>',
    );
  });

  it("cannot be broken out of by an attribute value", () => {
    expect(embedSnippet("https://g.example", 'k"><script>', "a")).toContain('key="k&quot;>&lt;script>"');
  });
});
