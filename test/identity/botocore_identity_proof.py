"""The botocore (Python: boto3, the AWS CLI) way to produce X-Gateway-Auth-Identity, as documented
in docs/iam-auth.md ("Identity proofs from Python"). The function is the documented snippet; the
main block lets the e2e suite call it: reads {"credentials": {...}, "region", "audience"} as JSON
on stdin and prints the header's value.
"""
import base64
import json
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def identity_proof(credentials, region, audience):
    """X-Gateway-Auth-Identity for botocore credentials (e.g. boto3.Session().get_credentials())."""
    frozen = credentials.get_frozen_credentials()
    domain = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    request = AWSRequest(
        method="POST",
        url=f"https://sts.{region}.{domain}/",
        data=b"Action=GetCallerIdentity&Version=2011-06-15",
        headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "X-Gateway-Auth-Audience": audience,
        },
    )
    SigV4Auth(frozen, "sts", region).add_auth(request)
    fields = {
        "v": 1,
        "region": region,
        "date": request.headers["X-Amz-Date"],
        "authorization": request.headers["Authorization"],
    }
    if frozen.token:
        fields["token"] = frozen.token
    encoded = base64.urlsafe_b64encode(json.dumps(fields).encode("utf-8"))
    return encoded.rstrip(b"=").decode("ascii")


if __name__ == "__main__":
    spec = json.load(sys.stdin)
    c = spec["credentials"]
    creds = Credentials(c["accessKeyId"], c["secretAccessKey"], c.get("sessionToken"))
    print(identity_proof(creds, spec["region"], spec["audience"]))
