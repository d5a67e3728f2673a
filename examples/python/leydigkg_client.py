"""A minimal client for leydigkg's GraphQL API, with the standard library only.

    from leydigkg_client import query
    data = query('{ entity(id: "LH") { name kind } }')

The server is $LEYDIGKG_URL (default http://127.0.0.1:8080/graphql). An
answer with errors raises RuntimeError with their messages.
"""
import json
import os
import urllib.request

URL = os.environ.get("LEYDIGKG_URL", "http://127.0.0.1:8080/graphql")


def query(q, variables=None, url=URL):
    """Runs one GraphQL query and returns its data."""
    body = json.dumps({"query": q, "variables": variables or {}}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        answer = json.load(resp)
    if answer.get("errors"):
        raise RuntimeError("; ".join(e["message"] for e in answer["errors"]))
    return answer["data"]
