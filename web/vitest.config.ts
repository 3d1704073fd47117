import { defineConfig } from "vitest/config";

// Unit tests of the element's logic (test/*.test.ts). Pure modules run in Node; the element's own tests
// declare `@vitest-environment happy-dom`. The real element against the real SDK and app is covered by the
// browser tests (tests/browser/ in the repository root).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    restoreMocks: true,
    unstubGlobals: true,
  },
});
