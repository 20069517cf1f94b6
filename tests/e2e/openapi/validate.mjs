// Validates an OpenAPI document (argv[2]) against the official OpenAPI schema of its version
// with @seriousme/openapi-schema-validator, resolves every $ref, and compiles each
// components.schemas entry as a JSON Schema 2020-12 schema (OpenAPI 3.1's dialect) with Ajv
// (unknown keywords and formats refused). Exits 0 and prints "valid ..." when everything
// holds; 1 with the errors otherwise.
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs <openapi.json>");
  process.exit(2);
}

const validator = new Validator();
const result = await validator.validate(file);
if (!result.valid) {
  console.error("not a valid OpenAPI document:");
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
try {
  validator.resolveRefs();
} catch (error) {
  console.error(`a $ref does not resolve: ${error.message}`);
  process.exit(1);
}

const document = JSON.parse(readFileSync(file, "utf8"));
const schemas = document.components?.schemas ?? {};
const defs = JSON.parse(
  JSON.stringify(schemas).replaceAll('"#/components/schemas/', '"#/$defs/'),
);
// Unknown keywords and formats are errors (strictSchema); Ajv's lint-level checks
// (strictTypes, strictRequired, strictTuples) are off: `oneOf: [{"required": ["a"]}]` beside
// the parent's properties, or `allOf` parts without their own `type`, are sound idioms the
// contracts use, not errors.
const ajv = new Ajv2020({
  strictSchema: true,
  strictNumbers: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  allErrors: true,
});
addFormats(ajv);
const failures = [];
for (const name of Object.keys(defs)) {
  try {
    ajv.compile({ $id: `urn:switchboard:${name}`, $defs: defs, $ref: `#/$defs/${name}` });
  } catch (error) {
    failures.push(`${name}: ${error.message}`);
  }
}
if (failures.length > 0) {
  console.error("components.schemas entries that are not valid JSON Schema 2020-12:");
  for (const failure of failures) console.error(`  ${failure}`);
  process.exit(1);
}
console.log(
  `valid OpenAPI ${validator.version}: ${Object.keys(document.paths ?? {}).length} paths, ` +
    `${Object.keys(schemas).length} schemas`,
);
