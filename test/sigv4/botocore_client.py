"""Signs and sends requests with botocore, the signer of the AWS CLI and boto3 (an independent
implementation of SigV4, in Python). Reads {"requests": [...]} as JSON on stdin and prints one JSON
result per request: {"status", "headers", "body"}.

Each request: method, url, optional headers and body (text, or bodyBase64 for bytes), credentials
{accessKeyId, secretAccessKey, sessionToken?}, region, optional presign (seconds: SigV4QueryAuth's
X-Amz-Expires), and optional "after" {url?, body?, bodyBase64?, headers?} applied to the prepared
request after signing (to tamper with what was signed).
"""
import base64
import json
import sys

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.httpsession import URLLib3Session


def send(session, spec):
    c = spec["credentials"]
    credentials = Credentials(c["accessKeyId"], c["secretAccessKey"], c.get("sessionToken"))
    request = AWSRequest(
        method=spec["method"],
        url=spec["url"],
        data=body_bytes(spec),
        headers=spec.get("headers", {}),
    )
    if spec.get("presign") is not None:
        SigV4QueryAuth(credentials, "execute-api", spec["region"], expires=spec["presign"]).add_auth(request)
    else:
        SigV4Auth(credentials, "execute-api", spec["region"]).add_auth(request)
    prepared = request.prepare()
    after = spec.get("after") or {}
    if "url" in after:
        prepared.url = after["url"]
    changed = body_bytes(after)
    if changed is not None:
        prepared.body = changed
        prepared.headers["Content-Length"] = str(len(prepared.body))
    for name, value in (after.get("headers") or {}).items():
        prepared.headers[name] = value
    response = session.send(prepared)
    return {
        "status": response.status_code,
        "headers": {k.lower(): v for k, v in response.headers.items()},
        "body": response.text,
        "url": prepared.url,
    }


def body_bytes(spec):
    """The body of a request spec (or of its "after"), as bytes; None when it has none."""
    if spec.get("bodyBase64") is not None:
        return base64.b64decode(spec["bodyBase64"])
    if spec.get("body") is not None:
        return spec["body"].encode("utf-8")
    return None


def main():
    specs = json.load(sys.stdin)["requests"]
    session = URLLib3Session()
    print(json.dumps([send(session, spec) for spec in specs]))


if __name__ == "__main__":
    main()
