"""What chronic inflammation changes within 3 links, as a NetworkX graph:
the example chain of each entity downstream, merged into one DiGraph.

    python3 downstream_networkx.py ["chronic inflammation"]
"""
import sys

import networkx as nx

from leydigkg_client import query

of = sys.argv[1] if len(sys.argv) > 1 else "chronic inflammation"
data = query(
    """query($of: ID!) {
      downstream(of: $of, maxDepth: 3, first: 100) {
        of { id name }
        total
        entities {
          entity { id name kind }
          distance effects confidence
          path { links { id subject { id } object { id } effect predicate confidence } }
        }
      }
    }""",
    {"of": of},
)
down = data["downstream"]
g = nx.DiGraph()
g.add_node(down["of"]["id"], name=down["of"]["name"])
for r in down["entities"]:
    e = r["entity"]
    g.add_node(e["id"], name=e["name"], kind=e["kind"], distance=r["distance"], effects=r["effects"])
    for l in r["path"]["links"]:
        g.add_edge(l["subject"]["id"], l["object"]["id"], id=l["id"], effect=l["effect"],
                   sign=1 if l["effect"] == "INCREASES" else -1, confidence=l["confidence"])

print(f"downstream of {down['of']['name']}: {down['total']} entities")
print(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
lowered = sorted(n for n, d in g.nodes(data=True) if d.get("effects") == ["DECREASES"])
print("only lowered:", ", ".join(lowered))
# The sign of a chain is the product of its links' signs.
target = "testosterone"
if target in g:
    path = nx.shortest_path(g, down["of"]["id"], target)
    sign = 1
    for a, b in zip(path, path[1:]):
        sign *= g.edges[a, b]["sign"]
    print(f"{' -> '.join(path)}: net {'INCREASES' if sign > 0 else 'DECREASES'}")
