#!/usr/bin/env python3
"""Signs LTI launches with oauthlib for ltiforge's interop test.

Reads a JSON list of cases on stdin, each {"url", "key", "secret",
"method" (signature method), "params": [[k, v], ...]}, signs each as a
form POST with oauthlib.oauth1.Client (signature in the body), and writes
a JSON list of {"uri", "headers", "body"} on stdout.
"""
import json
import sys
from urllib.parse import quote

from oauthlib.oauth1 import Client, SIGNATURE_TYPE_BODY


def main():
    out = []
    for case in json.load(sys.stdin):
        client = Client(case["key"], client_secret=case["secret"],
                        signature_method=case["method"],
                        signature_type=SIGNATURE_TYPE_BODY,
                        timestamp=case.get("timestamp"), nonce=case.get("nonce"))
        body = "&".join(quote(k, safe="") + "=" + quote(v, safe="") for k, v in case["params"])
        uri, headers, body = client.sign(case["url"], http_method="POST", body=body,
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        out.append({"uri": uri, "headers": dict(headers), "body": body})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
