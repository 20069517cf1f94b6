"""Parses RFC 5322 messages with Python's email package (policy.default) for the Gmail
plugin's tests: a second, independent reader of what the MIME builder writes.

stdin: a JSON array of base64 (standard) messages. stdout: a JSON array, one object per
message, with the decoded subject, address headers, bodies and every defect Python found.
"""
import base64
import email
import json
import sys
from email import policy


def addresses(message, name):
    header = message[name]
    if header is None:
        return None
    return [{"email": a.addr_spec, "name": a.display_name} for a in header.addresses]


def main():
    out = []
    for raw in json.load(sys.stdin):
        message = email.message_from_bytes(base64.b64decode(raw), policy=policy.default)
        bodies = {}
        defects = []
        for part in message.walk():
            defects += [type(d).__name__ for d in part.defects]
            if part.get_content_maintype() == "multipart":
                continue
            bodies[part.get_content_type()] = part.get_content()
        out.append({
            "subject": None if message["subject"] is None else str(message["subject"]),
            "to": addresses(message, "to"),
            "cc": addresses(message, "cc"),
            "bcc": addresses(message, "bcc"),
            "reply_to": addresses(message, "reply-to"),
            "in_reply_to": None if message["in-reply-to"] is None else str(message["in-reply-to"]),
            "content_type": message.get_content_type(),
            "text": bodies.get("text/plain"),
            "html": bodies.get("text/html"),
            "defects": defects,
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
