// Copies the API docs' browser assets (Swagger UI, Scalar) into dist/api-docs, so /schema works offline:
// the app serves these pinned files itself instead of pointing browsers at a CDN.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const out = join(dirname(new URL(import.meta.url).pathname), "..", "dist", "api-docs");
mkdirSync(out, { recursive: true });
const swagger = dirname(require.resolve("swagger-ui-dist/package.json"));
for (const file of ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"]) {
  copyFileSync(join(swagger, file), join(out, file));
}
// Scalar's package exports no package.json: find its folder from node_modules next to this project.
const scalar = join(dirname(new URL(import.meta.url).pathname), "..", "node_modules", "@scalar", "api-reference");
copyFileSync(join(scalar, "dist", "browser", "standalone.js"), join(out, "scalar.js"));
// Litestar's Scalar page links a branding stylesheet from a CDN unless given one: ours is empty on purpose,
// Scalar's bundle carries its own styles.
writeFileSync(join(out, "scalar.css"), "/* Scalar's own styles are in scalar.js */\n");
