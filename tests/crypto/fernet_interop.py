"""Python side of the Fernet interoperability test (cryptography.fernet, the seed's library).

Reads a JSON list of operations on stdin and writes a JSON list of results on stdout, so no
key or token ever appears on a command line or in a log. Byte strings travel as base64url.
Operations:
  {"op": "generate_key"}                                  -> {"key": str}
  {"op": "encrypt", "key": str, "plaintext": b64}        -> {"token": str}
  {"op": "decrypt", "keys": [str], "token": str, "ttl": int|null}
                                                          -> {"plaintext": b64} | {"error": "invalid_token"}
  {"op": "rotate", "keys": [str], "token": str}          -> {"token": str}
"""
import base64
import json
import sys

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode())


def run(op: dict) -> dict:
    kind = op["op"]
    if kind == "generate_key":
        return {"key": Fernet.generate_key().decode()}
    if kind == "encrypt":
        return {"token": Fernet(op["key"].encode()).encrypt(unb64(op["plaintext"])).decode()}
    keys = MultiFernet([Fernet(k.encode()) for k in op["keys"]])
    if kind == "decrypt":
        try:
            if op.get("ttl") is None:
                plaintext = keys.decrypt(op["token"].encode())
            else:
                plaintext = keys.decrypt(op["token"].encode(), ttl=op["ttl"])
        except InvalidToken:
            return {"error": "invalid_token"}
        return {"plaintext": b64(plaintext)}
    if kind == "rotate":
        return {"token": keys.rotate(op["token"].encode()).decode()}
    raise ValueError("unknown op " + kind)


def main() -> int:
    operations = json.load(sys.stdin)
    json.dump([run(op) for op in operations], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
