// Writes the console's API types from the app's OpenAPI document:
//   npm run api:types -- <openapi.json> [<output schema.d.ts>]    (default: console/src/api/schema.d.ts)
// Two files: schema.d.ts (openapi-typescript's types for openapi-fetch) and, beside it, patterns.ts (every
// `pattern` of a request schema's field, so the console validates a field exactly as the server does).
// tests/console/test_api_types_drift.py runs this script on the running app's /schema/openapi.json and fails
// when either file differs from the committed one.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";

const [input, output] = process.argv.slice(2);
if (!input) {
  console.error("usage: npm run api:types -- <openapi.json> [<output schema.d.ts>]");
  process.exit(2);
}
const here = dirname(new URL(import.meta.url).pathname);
const cwd = process.env.INIT_CWD ?? process.cwd(); // npm runs scripts in web/: paths are the caller's
const target = output ? resolve(cwd, output) : join(here, "..", "console", "src", "api", "schema.d.ts");
const document = JSON.parse(readFileSync(resolve(cwd, input), "utf8"));
const banner =
  "// Generated from the app's OpenAPI document by `npm run api:types -- <openapi.json>`: do not edit.\n" +
  "// tests/console/test_api_types_drift.py fails when it differs from what /schema/openapi.json produces.\n";

const ast = await openapiTS(document, { alphabetize: false, exportType: false });
writeFileSync(target, banner + "\n" + astToString(ast));

// "Schema.field": the field's pattern (for a list, its items' pattern), in the document's order.
const patterns = {};
for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
  for (const [field, prop] of Object.entries(schema.properties ?? {})) {
    const pattern = prop.pattern ?? prop.items?.pattern ?? prop.oneOf?.find((s) => s.pattern)?.pattern;
    if (pattern) patterns[`${name}.${field}`] = pattern;
  }
}
const lines = Object.entries(patterns).map(([key, p]) => `  ${JSON.stringify(key)}: ${JSON.stringify(p)},`);
writeFileSync(
  join(dirname(target), "patterns.ts"),
  `${banner}\n/** Field patterns of the API's schemas, as the server validates them ("Schema.field"). */\n` +
    `export const patterns = {\n${lines.join("\n")}\n} as const;\n`,
);
console.log(`wrote ${target} and patterns.ts beside it`);
