import { defineConfig } from "vitest/config";

// Unit tests of the element's logic (test/*.test.ts) and of the console's client-side logic
// (console/src/**/*.test.ts: problems, merge patches, origins, the checklist). Pure modules run in Node; the
// element's own tests declare `@vitest-environment happy-dom`. The real element and the real console against the
// real app are covered by the browser tests (tests/browser/ and tests/console/ in the repository root).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "console/src/**/*.test.ts"],
    environment: "node",
    restoreMocks: true,
    unstubGlobals: true,
  },
});
