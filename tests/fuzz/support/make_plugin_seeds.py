#!/usr/bin/env python3
"""Writes the seeds of the two harnesses that read what a plugin declares: plugin_descriptor
(the C descriptor structs and provider policies, in the harness's line format) and plugin_wire (frames a
plugin-host child sends: hello with the same descriptors, log, http, result, failed).

The descriptors are those of the four shipped plugins (plugins/*/descriptor.cpp and
plugins/common/google_oauth.hpp), transcribed; the category actions come from sdk/schemas.
Run from anywhere; rewrites the gen-* files of both corpus folders.
"""
import json
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent
FUZZ = HERE.parent
SCHEMAS = FUZZ.parents[1] / "sdk" / "schemas"

REVOKE_NONE, REVOKE_POST_FORM, REVOKE_DELETE_PATH = 0, 1, 2
CLIENT_AUTH_POST = 0


def actions(category):
    document = json.loads((SCHEMAS / f"{category}.schema.json").read_text())
    return sorted(document["x-actions"])


def google(provider_id, category, name, description, scopes, api_base_url):
    return {
        "id": provider_id, "category": category, "display_name": name,
        "description": description, "api_base_url": api_base_url,
        "actions": actions(category), "allowed_base_urls": [], "access_token": None,
        "contract_revision": 1,
        "oauth": {
            "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
            "token_url": "https://oauth2.googleapis.com/token",
            "revoke_url": "https://oauth2.googleapis.com/revoke",
            "revoke_style": REVOKE_POST_FORM,
            "default_scopes": scopes,
            "extra_authorize_params": [["access_type", "offline"], ["prompt", "consent"]],
            "pkce": True, "client_auth": CLIENT_AUTH_POST,
            "identity_url": "https://openidconnect.googleapis.com/v1/userinfo",
            "identity_field": "/email", "identity_scopes": ["openid", "email"],
            "identity_account_field": None,
        },
    }


SHIPPED = [
    google("google_calendar", "calendar", "Google Calendar",
           "Reads and manages the events and free/busy times of a Google Calendar account.",
           ["https://www.googleapis.com/auth/calendar",
            "https://www.googleapis.com/auth/calendar.events"], "https://www.googleapis.com"),
    google("gmail", "email", "Gmail", "Sends and reads the e-mail of a Gmail account.",
           ["https://www.googleapis.com/auth/gmail.send",
            "https://www.googleapis.com/auth/gmail.readonly"], "https://gmail.googleapis.com"),
    google("google_drive", "drive", "Google Drive",
           "Uploads, downloads, lists and organises the files of a Google Drive account.",
           ["https://www.googleapis.com/auth/drive.file",
            "https://www.googleapis.com/auth/drive.readonly"], "https://www.googleapis.com"),
    {
        "id": "hubspot", "category": "crm", "display_name": "HubSpot",
        "description": "Creates, finds and updates the contacts and deals of a HubSpot CRM account.",
        "api_base_url": "https://api.hubapi.com", "actions": actions("crm"),
        "allowed_base_urls": [], "access_token": None, "contract_revision": 1,
        "oauth": {
            "authorize_url": "https://app.hubspot.com/oauth/authorize",
            "token_url": "https://api.hubapi.com/oauth/v1/token",
            "revoke_url": "https://api.hubapi.com/oauth/v1/refresh-tokens/{token}",
            "revoke_style": REVOKE_DELETE_PATH,
            "default_scopes": ["crm.objects.contacts.read", "crm.objects.contacts.write",
                               "crm.objects.deals.read", "crm.objects.deals.write", "oauth"],
            "extra_authorize_params": [], "pkce": True, "client_auth": CLIENT_AUTH_POST,
            "identity_url": "https://api.hubapi.com/oauth/v1/access-tokens/{access_token}",
            "identity_field": "/user", "identity_scopes": [],
            "identity_account_field": "/hub_id",
        },
    },
]


# ---- plugin_descriptor: the harness's line format --------------------------------------


def descriptor_lines(provider, oauth_struct_size=None):
    o = provider["oauth"]
    lines = [f"id={provider['id']}", f"category={provider['category']}",
             f"contract_revision={provider['contract_revision']}",
             f"display_name={provider['display_name']}",
             f"description={provider['description']}",
             f"api_base_url={provider['api_base_url']}"]
    lines += [f"action={a}" for a in provider["actions"]]
    if oauth_struct_size is not None:
        lines.append(f"oauth.struct_size={oauth_struct_size}")
    for key in ("authorize_url", "token_url", "revoke_url", "identity_url", "identity_field",
                "identity_account_field"):
        if o[key] is not None and o[key] != "":
            lines.append(f"oauth.{key}={o[key]}")
    lines.append(f"oauth.revoke_style={o['revoke_style']}")
    lines.append(f"oauth.pkce={1 if o['pkce'] else 0}")
    lines.append(f"oauth.client_auth={o['client_auth']}")
    lines += [f"oauth.default_scope={s}" for s in o["default_scopes"]]
    lines += [f"oauth.extra_param={n}={v}" for n, v in o["extra_authorize_params"]]
    lines += [f"oauth.identity_scope={s}" for s in o["identity_scopes"]]
    return lines


# The shipped plugins' provider policies (plugins/*/provider_policy.cpp,
# plugins/common/google_policy.hpp), transcribed.
INVALID_GRANT, INVALID_CLIENT = 1, 2


def google_policy(provider_id, provider_bucket, tenant_bucket):
    return {"provider": provider_id, "credential_prefix": "GOOGLE", "rules": [],
            "error_member": None, "error_description_member": None, "codes": [],
            "provider_bucket": provider_bucket, "tenant_bucket": tenant_bucket,
            "credential_headers": ["X-Goog-Api-Key"]}


POLICIES = {
    "google_calendar": google_policy("google_calendar", (1000, 150), (120, 8)),
    "gmail": google_policy("gmail", (1200, 180), (30, 2)),
    "google_drive": google_policy("google_drive", (1200, 180), (1200, 180)),
    "hubspot": {
        "provider": "hubspot", "credential_prefix": None,
        "rules": [
            {"remaining": "X-HubSpot-RateLimit-Daily-Remaining", "give_up": 1},
            {"remaining": "X-HubSpot-RateLimit-Secondly-Remaining", "default_wait_ms": 1000},
            {"remaining": "X-HubSpot-RateLimit-Remaining",
             "wait_header": "X-HubSpot-RateLimit-Interval-Milliseconds", "unit_ms": 1},
        ],
        "error_member": "status", "error_description_member": "message",
        "codes": [("BAD_REFRESH_TOKEN", INVALID_GRANT), ("BAD_AUTH_CODE", INVALID_GRANT),
                  ("EXPIRED_AUTH_CODE", INVALID_GRANT), ("BAD_CLIENT_ID", INVALID_CLIENT),
                  ("BAD_CLIENT_SECRET", INVALID_CLIENT)],
        "provider_bucket": None, "tenant_bucket": (50, 5),
        "credential_headers": ["X-HubSpot-API-Key"],
    },
}


def policy_lines(policy, rule_struct_size=None):
    lines = [f"policy.provider={policy['provider']}"]
    for key in ("credential_prefix", "error_member", "error_description_member"):
        if policy[key] is not None:
            lines.append(f"policy.{key}={policy[key]}")
    for rule in policy["rules"]:
        lines.append(f"policy.rule={rule['remaining']}")
        if rule_struct_size is not None:
            lines.append(f"policy.rule.struct_size={rule_struct_size}")
        for key in ("wait_header", "unit_ms", "default_wait_ms", "give_up"):
            if key in rule:
                lines.append(f"policy.rule.{key}={rule[key]}")
    lines += [f"policy.code={code}:{meaning}" for code, meaning in policy["codes"]]
    for key in ("provider_bucket", "tenant_bucket"):
        if policy[key] is not None:
            lines.append(f"policy.{key}={policy[key][0]},{policy[key][1]}")
    lines += [f"policy.credential_header={h}" for h in policy["credential_headers"]]
    return lines


def write_descriptor_seeds():
    corpus = FUZZ / "plugin_descriptor" / "corpus"
    for old in corpus.glob("gen-*"):
        old.unlink()
    for provider in SHIPPED:
        (corpus / f"gen-{provider['id']}.txt").write_text("\n".join(descriptor_lines(provider)) + "\n")
    # Every shipped provider in one library.
    everything = "\n---\n".join("\n".join(descriptor_lines(p)) for p in SHIPPED)
    (corpus / "gen-all_four.txt").write_text(everything + "\n")
    # A contract revision no host honours: refused as unsupported_contract_revision.
    (corpus / "gen-google_calendar_revision_9.txt").write_text(
        "\n".join(descriptor_lines(dict(SHIPPED[0], contract_revision=9))) + "\n")
    # A plugin built for ABI 1.0: sb_oauth_desc ends before identity_account_field.
    (corpus / "gen-hubspot_abi_1_0_oauth.txt").write_text(
        "\n".join(descriptor_lines(SHIPPED[3], oauth_struct_size=112)) + "\n")
    # With the provider-policy extension: each plugin's own, all four in one library, and a
    # rule whose struct_size stops before give_up (refused as truncated).
    for provider in SHIPPED:
        lines = descriptor_lines(provider) + policy_lines(POLICIES[provider["id"]])
        (corpus / f"gen-policy-{provider['id']}.txt").write_text("\n".join(lines) + "\n")
    policies = [line for p in SHIPPED for line in policy_lines(POLICIES[p["id"]])]
    (corpus / "gen-policy-all_four.txt").write_text(everything + "\n" + "\n".join(policies) + "\n")
    (corpus / "gen-policy-hubspot_truncated_rule.txt").write_text("\n".join(
        descriptor_lines(SHIPPED[3]) + policy_lines(POLICIES["hubspot"], rule_struct_size=24)) + "\n")


# ---- plugin_wire: MessagePack frames ----------------------------------------------------


def msgpack(value):
    """The subset of MessagePack nlohmann::json writes for these messages."""
    if value is None:
        return b"\xc0"
    if value is True:
        return b"\xc3"
    if value is False:
        return b"\xc2"
    if isinstance(value, float):
        return b"\xcb" + struct.pack(">d", value)
    if isinstance(value, int):
        if 0 <= value < 128:
            return bytes([value])
        if -32 <= value < 0:
            return struct.pack("b", value)
        if 0 <= value < 2**32:
            return b"\xce" + struct.pack(">I", value)
        return b"\xd3" + struct.pack(">q", value)
    if isinstance(value, str):
        data = value.encode()
        if len(data) < 32:
            return bytes([0xa0 | len(data)]) + data
        if len(data) < 256:
            return b"\xd9" + bytes([len(data)]) + data
        return b"\xda" + struct.pack(">H", len(data)) + data
    if isinstance(value, bytes):
        if len(value) < 256:
            return b"\xc4" + bytes([len(value)]) + value
        return b"\xc5" + struct.pack(">H", len(value)) + value
    if isinstance(value, list):
        head = bytes([0x90 | len(value)]) if len(value) < 16 else b"\xdc" + struct.pack(">H", len(value))
        return head + b"".join(msgpack(v) for v in value)
    if isinstance(value, dict):
        head = bytes([0x80 | len(value)]) if len(value) < 16 else b"\xde" + struct.pack(">H", len(value))
        return head + b"".join(msgpack(k) + msgpack(v) for k, v in value.items())
    raise TypeError(type(value))


def frame(message):
    payload = msgpack(message)
    return struct.pack(">I", len(payload)) + payload


def hello(providers, major=1, minor=1, policies=None):
    message = {"t": "hello", "name": "shipped", "version": "0.1.0", "abi_major": major,
               "abi_minor": minor, "providers": providers}
    if policies is not None:
        message["policies"] = policies
    return message


def wire_bucket(bucket):
    return None if bucket is None else {"capacity": float(bucket[0]),
                                        "refill_per_second": float(bucket[1])}


def wire_policy(policy):
    """A policy as the child sends it in its hello (wire_messages.cpp, encode_policy)."""
    return {
        "provider_id": policy["provider"], "credential_prefix": policy["credential_prefix"],
        "rate_limit_headers": [
            {"remaining_header": r["remaining"], "wait_header": r.get("wait_header"),
             "wait_header_unit_ms": r.get("unit_ms", 0),
             "default_wait_ms": r.get("default_wait_ms", 0), "give_up": bool(r.get("give_up"))}
            for r in policy["rules"]],
        "oauth_error_member": policy["error_member"],
        "oauth_error_description_member": policy["error_description_member"],
        "oauth_error_codes": [{"code": c, "meaning": m} for c, m in policy["codes"]],
        "provider_rate_limit": wire_bucket(policy["provider_bucket"]),
        "tenant_rate_limit": wire_bucket(policy["tenant_bucket"]),
        "credential_headers": policy["credential_headers"],
    }


def write_wire_seeds():
    corpus = FUZZ / "plugin_wire" / "corpus"
    for old in corpus.glob("gen-*"):
        old.unlink()
    for provider in SHIPPED:
        (corpus / f"gen-hello-{provider['id']}.bin").write_bytes(frame(hello([provider])))
    (corpus / "gen-hello-all_four.bin").write_bytes(frame(hello(SHIPPED)))
    (corpus / "gen-hello-abi_2_0.bin").write_bytes(frame(hello(SHIPPED[:1], 2, 0)))
    # With the provider-policy extension.
    (corpus / "gen-hello-all_four-policies.bin").write_bytes(frame(hello(
        SHIPPED, policies=[wire_policy(POLICIES[p["id"]]) for p in SHIPPED])))
    (corpus / "gen-hello-hubspot-policy.bin").write_bytes(frame(hello(
        [SHIPPED[3]], policies=[wire_policy(POLICIES["hubspot"])])))
    (corpus / "gen-failed.bin").write_bytes(
        frame({"t": "failed", "code": "init_failed", "reason": "the plugin's init returned 7"}))
    log = frame({"t": "log", "level": 2, "message": "token refresh for \x1b[31mconnector\r\nforged line"})
    http = frame({"t": "http", "id": 1, "method": "GET",
                  "path": "/calendar/v3/calendars/primary/events?maxResults=50",
                  "headers": [["Accept", "application/json"], ["X-Goog-Api-Client", "sb/0.1"]],
                  "body": b""})
    post = frame({"t": "http", "id": 1, "method": "POST", "path": "/crm/v3/objects/contacts",
                  "headers": [["Content-Type", "application/json"]],
                  "body": b'{"properties":{"email":"a@example.com"}}'})
    result_ok = frame({"t": "result", "id": 1, "status": 0,
                       "result": b'{"deleted":true}', "error": b"",
                       "result_overflowed": False, "error_overflowed": False, "thrown": ""})
    result_error = frame({"t": "result", "id": 1, "status": 3, "result": b"",
                          "error": b'{"code":"not_found","message":"no such event"}',
                          "result_overflowed": False, "error_overflowed": False, "thrown": ""})
    result_thrown = frame({"t": "result", "id": 1, "status": 7, "result": b"", "error": b"",
                           "result_overflowed": False, "error_overflowed": True,
                           "thrown": "std::bad_alloc"})
    (corpus / "gen-call-log-http-result.bin").write_bytes(log + http + result_ok)
    (corpus / "gen-call-post-error.bin").write_bytes(post + result_error)
    (corpus / "gen-call-thrown.bin").write_bytes(result_thrown)
    (corpus / "gen-frame-too-large.bin").write_bytes(struct.pack(">I", 0xFFFFFFFF) + b"\x80")
    (corpus / "gen-frame-truncated.bin").write_bytes(struct.pack(">I", 64) + msgpack({"t": "log"}))


if __name__ == "__main__":
    write_descriptor_seeds()
    write_wire_seeds()
