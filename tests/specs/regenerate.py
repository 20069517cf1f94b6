#!/usr/bin/python3
"""Rewrites the compact test facts in tests/specs/ from the original documents.

Usage:
    regenerate.py ORIGINALS_DIR           rewrite the files in tests/specs/
    regenerate.py ORIGINALS_DIR --check   rewrite nothing; exit 1 if a file would change

ORIGINALS_DIR is the folder of the original documents (google/, providers/, oauth/,
fernet/; their sources and licences are in tests/specs/README.md). Each original is first
checked against the SHA-256 recorded below, so the facts are always derived from the
documented version. The output is deterministic: the same originals give the same bytes.

What is kept: every fact a test or the provider simulator checks against. What is dropped:
the prose meant for people (descriptions, enum descriptions, comments, notes, icons,
documentation links). A key is only dropped where it is an annotation, never where it is a
name (a schema property or a parameter called "description" is kept whole).

Standard library only (Debian's /usr/bin/python3).
"""

import argparse
import hashlib
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent

# Google API Discovery documents: only `description` / `enumDescriptions` (on methods,
# parameters, schemas and properties) and the document's `documentationLink` and `icons`
# are prose. Everything else (ids, verbs, paths, parameters with location, type, required,
# repeated, enum, pattern, minimum, maximum, default; request/response $refs; schemas with
# their properties, types, formats, items, additionalProperties, readOnly, annotations;
# scopes; media upload paths and limits) stays as Google published it.
GOOGLE_PROSE = {"description": str, "enumDescriptions": list}
GOOGLE_TOP_LEVEL_PROSE = {"documentationLink", "icons"}

# Our own HubSpot description (JSON Schema draft-07 plus an operations map): annotations
# that no validator reads and no test or simulator code uses.
HUBSPOT_PROSE = {"description": str, "$comment": str, "title": str, "notes": str, "note": str,
                 "confidence": str}

# (output path, source path, SHA-256 of the source, how to derive the output)
SOURCES = [
    ("google/calendar_v3.json", "google/calendar_v3.json",
     "f739556eff47dee14bd82adc595642e9865f32f2057b006f99e8aa8a38116472", "google"),
    ("google/gmail_v1.json", "google/gmail_v1.json",
     "54a468612b8ac855b7e97a6426fb701daef8e49b39d6a5b628b64ea9e2e60e94", "google"),
    ("google/drive_v3.json", "google/drive_v3.json",
     "a627e465f8a2d0c7fa9afa6a1f70dd7b6eb1e4c14b9baaae874d267860ede322", "google"),
    ("providers/hubspot_crm_v3.schema.json", "providers/hubspot_crm_v3.schema.json",
     "1480afdec2344081b1e598e2c6a22f0c5d00cc0e4a7bdd811d59fd7f2cd6c6f2", "hubspot"),
    ("providers/hubspot_test_vectors.json", "providers/hubspot_oauth_and_crm.md",
     "9408325745ac3e73bb7dd1611f66045917f7a71e80693deebd96be508ccdf9c1", "hubspot_vectors"),
    ("oauth/rfc7636_appendix_b.json", "oauth/rfc7636_appendix_b.json",
     "3235c1c0005c7da5f621630052b277d40c408e92a2bd45fc021a78358823d929", "copy"),
    ("oauth/rfc6749_errors.json", "oauth/rfc6749_errors.json",
     "6b3ea457afc07ab10d90b4267c4c4d49544aaa1500864e20f2a9c52df8781abd", "copy"),
    ("fernet/generate.json", "fernet/generate.json",
     "b4b18aec84cb721e72229c147c169eb8f76e47827a58914b7b3ffae644889844", "copy"),
    ("fernet/verify.json", "fernet/verify.json",
     "489184ab9c6965e15aca47993ec5b156f488e70ca780c5634239d5498ec5cf65", "copy"),
    ("fernet/invalid.json", "fernet/invalid.json",
     "90909d69cfdc0703c688242652c8edf02830e81ec40adb91875c44109f689fa6", "copy"),
]


class Failure(Exception):
    pass


def strip_prose(node, prose, where="$"):
    """The node without its prose keys. A prose key is dropped only when its value has the
    prose type (a string, or a list for enumDescriptions); a key of the same name whose value
    is an object is a name (a property called "description") and is kept."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            kind = prose.get(key)
            if kind is not None and isinstance(value, kind):
                if kind is list and not all(isinstance(v, str) for v in value):
                    raise Failure(f"{where}.{key}: expected a list of strings")
                continue
            out[key] = strip_prose(value, prose, f"{where}.{key}")
        return out
    if isinstance(node, list):
        return [strip_prose(v, prose, f"{where}[{i}]") for i, v in enumerate(node)]
    return node


def derive_google(text):
    document = json.loads(text)
    if document.get("kind") != "discovery#restDescription":
        raise Failure("not a discovery#restDescription")
    document = {k: v for k, v in document.items() if k not in GOOGLE_TOP_LEVEL_PROSE}
    return dump(strip_prose(document, GOOGLE_PROSE))


def derive_hubspot(text):
    return dump(strip_prose(json.loads(text), HUBSPOT_PROSE))


def derive_hubspot_vectors(text):
    # The JSON array in the fenced block after the heading "### Machine-readable test vectors".
    heading = text.find("### Machine-readable test vectors")
    start = text.find("```json", heading)
    end = text.find("```", start + 7)
    if heading < 0 or start < 0 or end < 0:
        raise Failure("no machine-readable test vectors block")
    vectors = json.loads(text[start + 7:end])
    if not isinstance(vectors, list) or not vectors:
        raise Failure("the test vectors block is not a non-empty array")
    for v in vectors:
        if set(v) != {"name", "def", "valid", "instance"}:
            raise Failure(f"unexpected test vector fields: {sorted(v)}")
    return dump(vectors)


def derive_copy(text):
    json.loads(text)  # must be JSON; the bytes are kept as they are
    return text


DERIVE = {"google": derive_google, "hubspot": derive_hubspot,
          "hubspot_vectors": derive_hubspot_vectors, "copy": derive_copy}


def dump(value):
    # Key order as in the source, one member per line (readable diffs), UTF-8 as it is.
    return json.dumps(value, indent=1, ensure_ascii=False) + "\n"


def read_source(originals, relative, expected_sha256):
    path = originals / relative
    try:
        data = path.read_bytes()
    except OSError as e:
        raise Failure(f"cannot read {path}: {e.strerror}")
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected_sha256:
        raise Failure(f"{path} has SHA-256 {digest}, not the documented {expected_sha256} "
                      "(a new version: update SOURCES here and tests/specs/README.md)")
    return data.decode("utf-8")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("originals", type=pathlib.Path, help="the folder of the original documents")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail if a committed file differs from its regeneration")
    parser.add_argument("--output", type=pathlib.Path, default=HERE,
                        help="where the compact files go (default: this script's folder)")
    args = parser.parse_args(argv)

    stale = []
    try:
        for output, source, sha256, how in SOURCES:
            text = DERIVE[how](read_source(args.originals, source, sha256))
            target = args.output / output
            current = target.read_bytes() if target.exists() else None
            wanted = text.encode("utf-8")
            if current == wanted:
                continue
            if args.check:
                stale.append(output)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(wanted)
                print(f"wrote {target}")
    except (Failure, json.JSONDecodeError) as e:
        print(f"regenerate.py: {e}", file=sys.stderr)
        return 2
    if stale:
        print("regenerate.py: these files differ from what the originals give "
              "(run tests/specs/regenerate.py ORIGINALS_DIR and commit the result):", file=sys.stderr)
        for output in stale:
            print(f"  tests/specs/{output}", file=sys.stderr)
        return 1
    if args.check:
        print(f"regenerate.py: all {len(SOURCES)} files match their originals")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
