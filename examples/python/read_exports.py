"""Reads leydigkg's GraphML and Cytoscape.js JSON exports with NetworkX.

    python3 read_exports.py                      # a trace's graphml and cytoscape fields, from the server
    python3 read_exports.py graph.graphml graph.cyjs   # files of 'leydigkg export --format graphml|cytoscape'
"""
import json
import sys

import networkx as nx

from leydigkg_client import query

if len(sys.argv) >= 3:
    with open(sys.argv[1], "rb") as f:
        graphml = f.read()
    with open(sys.argv[2]) as f:
        cyjs = json.load(f)
    what = "files"
else:
    data = query('{ trace(from: "chronic inflammation", to: "testosterone", maxDepth: 3) { graphml cytoscape } }')
    graphml = data["trace"]["graphml"].encode()
    cyjs = json.loads(data["trace"]["cytoscape"])
    what = "trace"

# GraphML: typed attributes come back typed (sign an int, confidence a float).
g = nx.parse_graphml(graphml)
print(f"{what} graphml: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, name {g.graph['name']!r}")
signs = {}
for _, _, d in g.edges(data=True):
    assert isinstance(d["sign"], int) and isinstance(d["confidence"], float), d
    signs[d["effect"]] = signs.get(d["effect"], 0) + 1
print(f"{what} graphml effects: {dict(sorted(signs.items()))}")
kinds = sorted({d["kind"] for _, d in g.nodes(data=True)})
print(f"{what} graphml kinds: {', '.join(kinds)}")
# Lists are strings joined by |.
srcs = sorted({s for _, _, d in g.edges(data=True) for s in d["sources"].split("|") if s})
print(f"{what} graphml sources: {', '.join(srcs)}")

# Cytoscape.js JSON: a MultiDiGraph keyed by link id.
c = nx.cytoscape_graph(cyjs)
print(f"{what} cytoscape: {c.number_of_nodes()} nodes, {c.number_of_edges()} edges, directed {c.is_directed()}")
same = sorted(g.edges()) == sorted((u, v) for u, v, _ in c.edges(keys=True))
print(f"{what} same edges in both: {same}")
