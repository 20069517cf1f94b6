#!/usr/bin/python3
"""Makes throw-away keys, a JWKS file and signed test tokens for the auth tests.

Usage: make_test_tokens.py OUT_DIR

Writes OUT_DIR/hs256_secret.txt, OUT_DIR/jwks.json and OUT_DIR/tokens.json
({"generated_at": unix seconds, "tokens": {name: token}, ...}). Times are relative to
generated_at, so tests can freeze their clock there.
Tokens are signed by PyJWT (Debian's python3-jwt), independently of the code under test;
the two deliberately malformed ones (alg "none", HS256 keyed with the RSA public key) are
assembled by hand because PyJWT refuses to make them. Nothing here is committed: keys are
generated on each run.
"""
import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import time

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa, utils
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://auth.switchboard.test/"
AUDIENCE = "switchboard"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(obj) -> str:
    return b64url(json.dumps(obj, separators=(",", ":")).encode())


def main(out_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    now = int(time.time())
    secret = secrets.token_urlsafe(48)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_key_2 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())

    def jwk(algorithm, key, **extra):
        entry = json.loads(algorithm.to_jwk(key.public_key()))
        entry.update(extra)
        return entry

    jwks = {
        "keys": [
            jwk(RSAAlgorithm, rsa_key, kid="rsa-1", use="sig", alg="RS256"),
            jwk(RSAAlgorithm, rsa_key_2, kid="rsa-2"),
            jwk(ECAlgorithm, ec_key, kid="ec-1", use="sig", alg="ES256"),
            # An encryption key and a symmetric key: both must be ignored for verification.
            jwk(RSAAlgorithm, stranger, kid="enc-1", use="enc"),
            {"kty": "oct", "kid": "oct-1", "k": b64url(secret.encode())},
        ]
    }

    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user-123",
        "iat": now,
        "exp": now + 3600,
        "app_metadata": {"tenant_id": "tenant-abc"},
        "role": "authenticated",
    }

    def with_claims(**changes):
        c = dict(claims)
        for name, value in changes.items():
            if value is None:
                c.pop(name, None)
            else:
                c[name] = value
        return c

    def rs(c, key=rsa_key, kid="rsa-1"):
        headers = {"kid": kid} if kid else None
        return jwt.encode(c, key, algorithm="RS256", headers=headers)

    def es(c, kid="ec-1"):
        headers = {"kid": kid} if kid else None
        return jwt.encode(c, ec_key, algorithm="ES256", headers=headers)

    def hs(c, key=secret):
        return jwt.encode(c, key, algorithm="HS256")

    rsa_public_pem = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    # Algorithm confusion: HS256 keyed with the RSA public key's PEM, as an attacker who only
    # knows the public key would sign.
    confusion_input = segment({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}) + "." + segment(claims)
    confusion = confusion_input + "." + b64url(
        hmac.new(rsa_public_pem, confusion_input.encode(), hashlib.sha256).digest())

    unsigned = segment({"alg": "none", "typ": "JWT"}) + "." + segment(claims) + "."

    # ES256 with a DER signature instead of JWS's raw r||s.
    es_input = segment({"alg": "ES256", "typ": "JWT", "kid": "ec-1"}) + "." + segment(claims)
    der_signature = ec_key.sign(es_input.encode(), ec.ECDSA(hashes.SHA256()))
    es_der = es_input + "." + b64url(der_signature)
    r, s = utils.decode_dss_signature(der_signature)
    es_raw_by_hand = es_input + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

    valid_rs = rs(claims)
    header, payload, signature = valid_rs.split(".")
    tampered = header + "." + segment(with_claims(app_metadata={"tenant_id": "tenant-evil"})) + "." + signature

    namespaced = with_claims(**{"https://switchboard.dev/claims": {"tenant": "tenant-ns", "user": 42}})

    tokens = {
        "hs256_valid": hs(claims),
        "rs256_valid": valid_rs,
        "rs256_second_key": rs(claims, key=rsa_key_2, kid="rsa-2"),
        "rs256_no_kid": rs(claims, kid=None),
        "rs256_unknown_kid": rs(claims, kid="rsa-9"),
        "rs256_kid_of_other_key": rs(claims, key=rsa_key_2, kid="rsa-1"),
        "rs256_encryption_key": rs(claims, key=stranger, kid="enc-1"),
        "es256_valid": es(claims),
        "es256_no_kid": es(claims, kid=None),
        "es256_raw_by_hand": es_raw_by_hand,
        "es256_der_signature": es_der,
        "es256_with_rsa_kid": es(claims, kid="rsa-1"),
        "expired": rs(with_claims(exp=now - 600)),
        "expired_within_leeway": rs(with_claims(exp=now - 5)),
        "not_yet_valid": rs(with_claims(nbf=now + 86400, exp=now + 172800)),
        "nbf_within_leeway": rs(with_claims(nbf=now + 5)),
        "no_exp": rs(with_claims(exp=None)),
        "wrong_issuer": rs(with_claims(iss="https://evil.example/")),
        "no_issuer": rs(with_claims(iss=None)),
        "wrong_audience": rs(with_claims(aud="someone-else")),
        "audience_array": rs(with_claims(aud=["other", AUDIENCE])),
        "audience_array_wrong": rs(with_claims(aud=["other", "third"])),
        "wrong_key_rs256": rs(claims, key=stranger, kid="rsa-1"),
        "wrong_secret_hs256": hs(claims, key=secrets.token_urlsafe(48)),
        "alg_none": unsigned,
        "hs256_signed_with_rsa_public_key": confusion,
        "tampered_payload": tampered,
        "missing_tenant": rs(with_claims(app_metadata=None)),
        "tenant_not_a_string": rs(with_claims(app_metadata={"tenant_id": {"id": 1}})),
        "missing_sub": rs(with_claims(sub=None)),
        "namespaced_claims": rs(namespaced),
    }

    with open(os.path.join(out_dir, "hs256_secret.txt"), "w") as f:
        f.write(secret)
    with open(os.path.join(out_dir, "jwks.json"), "w") as f:
        json.dump(jwks, f, indent=1)
    with open(os.path.join(out_dir, "tokens.json"), "w") as f:
        json.dump({"generated_at": now, "issuer": ISSUER, "audience": AUDIENCE, "tokens": tokens},
                  f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
