// Writes the console's API types from the app's OpenAPI document:
//   npm run api:types -- <openapi.json> [<output schema.d.ts>]    (default: console/src/api/schema.d.ts)
// Two files: schema.d.ts (openapi-typescript's types for openapi-fetch) and, beside it, fields.ts (each schema
// field's pattern, enum, bounds and default, so the console's forms check a field exactly as the server does).
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

// defaultNonNullable off: a request field with a default may be left out (the server fills it in), so it stays optional.
const ast = await openapiTS(document, { alphabetize: false, exportType: false, defaultNonNullable: false });
writeFileSync(target, banner + "\n" + astToString(ast));

// "Schema.field": the constraints the server checks a field against (pattern, enum, bounds, lengths, default),
// for a list its items' pattern and enum, in the document's order.
const KEPT = ["pattern", "enum", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "default"];
const fields = {};
for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
  for (const [field, prop] of Object.entries(schema.properties ?? {})) {
    const variants = [prop, ...(prop.oneOf ?? []), ...(prop.anyOf ?? [])];
    const kept = {};
    for (const key of KEPT) {
      const found = variants.find((v) => v[key] !== undefined)?.[key] ?? prop.items?.[key];
      if (found !== undefined) kept[key] = found;
    }
    if (Object.keys(kept).length) fields[`${name}.${field}`] = kept;
  }
}
const lines = Object.entries(fields).map(([key, c]) => `  ${JSON.stringify(key)}: ${JSON.stringify(c)},`);
writeFileSync(
  join(dirname(target), "fields.ts"),
  `${banner}\n/** What the server checks each field of the API's schemas against ("Schema.field"). */\n` +
    `export const fields = {\n${lines.join("\n")}\n} as const;\n`,
);
console.log(`wrote ${target} and fields.ts beside it`);
