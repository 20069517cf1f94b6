#!/usr/bin/python3
"""Checks Switchboard webhook signatures with Python's standard hmac, independently of the
host's C++ code (the function is the one README.md, "Events", shows receivers).

stdin: a JSON array of {"secret", "header", "body", "now"} (body as sent, UTF-8 text;
now: unix seconds). stdout: a JSON array with "ok" or why the signature was refused."""
import hashlib
import hmac
import json
import sys


def verify(secret: bytes, header: str, body: bytes, now: int, tolerance: int = 300) -> str:
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
        received = fields["v1"]
    except (KeyError, ValueError):
        return "malformed"
    if abs(now - timestamp) > tolerance:
        return "too_old"
    expected = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return "ok" if hmac.compare_digest(expected, received) else "mismatch"


def main() -> None:
    checks = json.load(sys.stdin)
    results = [
        verify(c["secret"].encode(), c["header"], c["body"].encode("utf-8"), int(c["now"]))
        for c in checks
    ]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
