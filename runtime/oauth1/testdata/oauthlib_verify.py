#!/usr/bin/env python3
"""Verifies requests signed by ltiforge with oauthlib, for the interop test.

Reads a JSON list of {"method", "uri", "headers", "body", "secret"} on
stdin; for each, collects the parameters with oauthlib's
signature.collect_parameters, builds the base string with
normalize_parameters, base_string_uri and signature_base_string, and
checks the signature with verify_hmac_sha1 / verify_hmac_sha256. Writes a
JSON list of {"valid", "base_string"} on stdout.
"""
import json
import sys
from urllib.parse import urlparse

from oauthlib.common import Request
from oauthlib.oauth1.rfc5849 import signature


def main():
    out = []
    for case in json.load(sys.stdin):
        uri, headers, body = case["uri"], case["headers"], case["body"]
        req = Request(uri, http_method=case["method"], body=body, headers=headers)
        collected = signature.collect_parameters(uri_query=urlparse(uri).query, body=body,
                                                 headers=headers, exclude_oauth_signature=False)
        req.signature = dict(collected)["oauth_signature"]
        req.params = [(k, v) for k, v in collected if k != "oauth_signature"]
        base = signature.signature_base_string(
            case["method"], signature.base_string_uri(uri),
            signature.normalize_parameters(req.params))
        method = dict(collected)["oauth_signature_method"]
        verify = {"HMAC-SHA1": signature.verify_hmac_sha1,
                  "HMAC-SHA256": signature.verify_hmac_sha256}[method]
        out.append({"valid": bool(verify(req, client_secret=case["secret"])), "base_string": base})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
