#!/usr/bin/python3
"""JWTs for the end-to-end tests, made by PyJWT (Debian's python3-jwt) rather than our code.

  jwt_tool.py keygen DIR   writes DIR/rsa_private.pem, DIR/other_private.pem (a key the host
                           does not know) and DIR/jwks.json (the first key's public half,
                           kid "e2e-rsa", for auth.jwt.jwks_file)
  jwt_tool.py sign         reads JSON lines {"alg", "payload", "secret"} (HS256) or
                           {"alg", "payload", "key_file", "kid"} (RS256) on stdin and prints
                           one token per line
"""
import json
import pathlib
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def write_private_key(path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return key


def keygen(directory):
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    key = write_private_key(directory / "rsa_private.pem")
    write_private_key(directory / "other_private.pem")
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "e2e-rsa", "use": "sig", "alg": "RS256"})
    (directory / "jwks.json").write_text(json.dumps({"keys": [jwk]}))


def sign():
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request["alg"] == "HS256":
            token = jwt.encode(request["payload"], request["secret"], algorithm="HS256")
        else:
            key = pathlib.Path(request["key_file"]).read_bytes()
            token = jwt.encode(request["payload"], key, algorithm=request["alg"],
                               headers={"kid": request["kid"]})
        print(token, flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "keygen":
        keygen(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "sign":
        sign()
    else:
        sys.exit(__doc__)
