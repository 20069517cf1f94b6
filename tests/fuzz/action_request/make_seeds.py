#!/usr/bin/env python3
"""Writes the action_request harness's seeds: for every action of every category contract
(sdk/schemas), one request body with every property its params schema names, filled with a
value of the right shape, sent both ways the API takes it (the assistant's tool route, wrapped
in {"params": ...}, and the connector route, bare). Run from anywhere; rewrites corpus/gen-*.
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
SCHEMAS = HERE.parents[2] / "sdk" / "schemas"

SAMPLES = {
    "date-time": "2024-06-01T09:30:00+02:00",
    "date": "2024-06-01",
    "email": "ada@example.com",
    "uri": "https://example.com/a",
}


def resolve(definitions, schema):
    while "$ref" in schema:
        schema = definitions[schema["$ref"].split("/")[-1]]
    return schema


def sample(definitions, schema, name=""):
    schema = resolve(definitions, schema)
    if "allOf" in schema:
        merged = {}
        for part in schema["allOf"]:
            merged.update(resolve(definitions, part))
        return sample(definitions, merged, name)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if "format" in schema:
        return SAMPLES[schema["format"]]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0]
    if kind == "object" or "properties" in schema:
        out = {}
        for prop, sub in schema.get("properties", {}).items():
            out[prop] = sample(definitions, sub, prop)
        # oneOf branches told apart by required keys: keep the first branch's.
        for branch in schema.get("oneOf", [])[1:]:
            for key in branch.get("required", []):
                if key not in schema.get("oneOf", [{}])[0].get("required", []):
                    out.pop(key, None)
        return out
    if kind == "array":
        return [sample(definitions, schema.get("items", {}), name)]
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "string":
        pattern = schema.get("pattern", "")
        if "[01][0-9]" in pattern:
            return "09:00"
        if "A-Z]{3}" in pattern:
            return "EUR"
        if "0-9a-f]{32}" in pattern:
            return "0123456789abcdef0123456789abcdef"
        if "/" in pattern and "A-Za-z0-9!" in pattern:
            return "text/plain"
        if "A-Za-z0-9_+/-" in pattern:
            return "Europe/Paris"
        return name + "-value"
    return None


def main():
    for old in (HERE / "corpus").glob("gen-*"):
        old.unlink()
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        document = json.loads(path.read_text())
        if "x-category" not in document:
            continue
        category = document["x-category"]
        definitions = document["definitions"]
        for action, contract in document["x-actions"].items():
            params = sample(definitions, contract["params"])
            tool = f"/api/v1/actions/{category}.{action}\n" + json.dumps({"params": params})
            (HERE / "corpus" / f"gen-tool-{category}.{action}.txt").write_text(tool)
            direct = f"/api/v1/connectors/c-{category}/actions/{action}\n" + json.dumps(params)
            (HERE / "corpus" / f"gen-connector-{category}.{action}.txt").write_text(direct)


if __name__ == "__main__":
    main()
