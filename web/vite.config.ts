import { defineConfig } from "vite";

// One self-contained classic script, dist/widget.js, for a plain
// <script src=".../widget.js" defer> tag: IIFE format, the SDK bundled in,
// no code splitting and no asset files.
export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    copyPublicDir: false,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    lib: {
      entry: "src/widget.ts",
      name: "GreenroomWidget",
      formats: ["iife"],
      fileName: () => "widget.js",
    },
    rolldownOptions: {
      output: {
        codeSplitting: false,
      },
    },
  },
});
