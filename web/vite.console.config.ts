import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The admin console: a React single-page app served by the app at /console/ (web/README.md, "Console").
// Built after the widget (whose build empties dist/), into dist/console only: index.html plus content-hashed
// files under dist/console/assets/. Pages and the chart library are separate chunks, loaded when first needed;
// scripts/console-size.mjs reads the manifest to hold the first load to its budget.
export default defineConfig({
  root: "console",
  base: "/console/",
  plugins: [react()],
  build: {
    outDir: "../dist/console",
    emptyOutDir: true,
    sourcemap: false,
    manifest: true,
    target: "es2022",
    assetsInlineLimit: 0, // no data: URLs for scripts or fonts; the CSP allows data: only for images
  },
  server: {
    // `npm run console:dev`: a Vite dev server for console work, the API proxied to a running `./run dev`.
    proxy: Object.fromEntries(
      ["/auth", "/v1", "/schema", "/widget.js"].map((path) => [
        path,
        { target: process.env.GREENROOM_URL ?? "http://127.0.0.1:8000", changeOrigin: false },
      ]),
    ),
  },
});
