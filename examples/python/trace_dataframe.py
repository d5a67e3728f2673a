"""The causal chains from chronic inflammation to testosterone, as pandas
DataFrames: one row per hop (from the trace's `columns` field) and one row
per chain.

    python3 trace_dataframe.py ["chronic inflammation" testosterone]
"""
import sys

import pandas as pd

from leydigkg_client import query

start, end = (sys.argv[1:3] if len(sys.argv) >= 3 else ("chronic inflammation", "testosterone"))
data = query(
    """query($from: ID!, $to: ID!) {
      trace(from: $from, to: $to, maxDepth: 3, limit: 5, orderBy: CONFIDENCE) { columns }
    }""",
    {"from": start, "to": end},
)
cols = data["trace"]["columns"]

# Per-hop columns are lists of equal length; pathNetEffect and
# pathConfidence have one value per chain, from and to one per trace.
per_chain = {"pathNetEffect", "pathConfidence"}
hops = pd.DataFrame({k: v for k, v in cols.items() if isinstance(v, list) and k not in per_chain})
chains = pd.DataFrame({"netEffect": cols["pathNetEffect"], "confidence": cols["pathConfidence"]})
chains["links"] = hops.groupby("path").size()

print(f"{cols['from']} -> {cols['to']}: {len(chains)} chain(s), {len(hops)} hop(s)")
with pd.option_context("display.width", 200, "display.max_columns", 20):
    print(hops[["path", "hop", "subject", "effect", "object", "confidence"]].to_string(index=False))
    print(chains.to_string())
print("net effects:", {k: int(n) for k, n in chains["netEffect"].value_counts().items()})
print("most confident chain: %.4f" % chains["confidence"].max())
