#!/usr/bin/env python3
"""Check the curation decisions in this folder against the curated graph they were made on and the article.

Run from anywhere: python3 data/curation/check.py [--base REV]   (needs PyYAML and git). Prints one
line per problem as file:line: message and exits 1 if there is any; prints a summary and exits 0
otherwise. The decisions are now applied to ../*.yaml (data/decisions_test.go checks that), so the
graph they are checked against is ../*.yaml as it was before: at git revision REV (default
BASE below, the commit the decisions were written against); --base WORKTREE reads ../*.yaml.
"""
import csv, json, os, re, subprocess, sys
from collections import Counter

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
problems = []


def bad(path, line, msg):
    problems.append(f"{os.path.relpath(path)}:{line}: {msg}")


BASE = "910af71"  # data/ before the decisions were applied
if "--base" in sys.argv:
    BASE = sys.argv[sys.argv.index("--base") + 1]


def load_yaml(name, key, base=DATA):
    if base == DATA and BASE != "WORKTREE":
        text = subprocess.check_output(["git", "-C", DATA, "show", f"{BASE}:data/{name}"])
        return yaml.safe_load(text)[key]
    with open(os.path.join(base, name), encoding="utf-8") as f:
        return yaml.safe_load(f)[key]


def read_tsv(name, columns):
    """Rows of a TSV as dicts, each with its line number; checks header and column count."""
    path = os.path.join(HERE, name)
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header = lines[0].split("\t")
    if header != columns:
        bad(path, 1, f"header is {header}, want {columns}")
    rows = []
    for n, text in enumerate(lines[1:], start=2):
        cols = text.split("\t")
        if len(cols) != len(columns):
            bad(path, n, f"{len(cols)} columns, want {len(columns)}")
            continue
        if any(c != c.strip() for c in cols):
            bad(path, n, "a cell has leading or trailing spaces")
        row = dict(zip(columns, cols))
        row["_line"] = n
        rows.append(row)
    return path, rows


article = open(os.path.join(DATA, "source-article.txt"), encoding="utf-8").read()
entities = {e["id"]: e for e in load_yaml("entities.yaml", "entities")}
links = load_yaml("links.yaml", "links")
link_by_id = {l["id"]: l for l in links}
references = {r["id"] for r in load_yaml("sources.yaml", "references")}
new_entities = load_yaml("new-entities.yaml", "entities", HERE)
missing = load_yaml("missing-claims.yaml", "links", HERE)

verified = set()
with open(os.path.join(DATA, "testdata", "xrefs.tsv"), encoding="utf-8") as f:
    for text in f:
        cols = text.rstrip("\n").split("\t")
        if len(cols) < 4 or cols[1] == "UNVERIFIED" or "OBSOLETE" in cols[3] or "SECONDARY ONLY" in cols[3]:
            continue
        verified.add(cols[1])

KINDS = {"HORMONE", "CELL", "PROCESS", "THERAPY", "GENE_PRODUCT", "MOLECULE", "ANATOMY", "CONDITION"}
# Predicate -> the effect it requires ("" = either). biolink:catalyzes is proposed (links-review.tsv).
PREDICATES = {
    "biolink:regulates": "", "biolink:affects": "", "biolink:produces": "INCREASES",
    "biolink:causes": "INCREASES", "biolink:contributes_to": "INCREASES",
    "biolink:exacerbates_condition": "INCREASES", "biolink:catalyzes": "INCREASES",
    "biolink:disrupts": "DECREASES", "biolink:treats": "DECREASES",
    "biolink:ameliorates_condition": "DECREASES", "biolink:preventative_for_condition": "DECREASES",
}
LEVELS = {"knowledge_assertion", "logical_entailment"}

# ---- merges.tsv
mpath, merges = read_tsv("merges.tsv", ["old_id", "kept_id", "reason"])
merged = {}
for r in merges:
    if r["old_id"] not in entities:
        bad(mpath, r["_line"], f"old_id {r['old_id']} is not an entity")
    if r["kept_id"] not in entities:
        bad(mpath, r["_line"], f"kept_id {r['kept_id']} is not an entity")
    if r["old_id"] in merged:
        bad(mpath, r["_line"], f"{r['old_id']} merged twice")
    merged[r["old_id"]] = r["kept_id"]
for old, kept in merged.items():
    if kept in merged:
        bad(mpath, 0, f"{old} -> {kept} is merged again ({kept} -> {merged[kept]})")

# ---- new-entities.yaml
npath = os.path.join(HERE, "new-entities.yaml")
for e in new_entities:
    if e["id"] in entities:
        bad(npath, 0, f"{e['id']} already exists")
    if e.get("kind") not in KINDS:
        bad(npath, 0, f"{e['id']}: kind {e.get('kind')} is not one of {sorted(KINDS)}")
    for x in e.get("xrefs") or []:
        if x not in verified:
            bad(npath, 0, f"{e['id']}: xref {x} is not a verified row of xrefs.tsv")

final_entities = {i: dict(e) for i, e in entities.items() if i not in merged}
final_entities.update({e["id"]: dict(e) for e in new_entities})


def entity_ok(i):
    return i in final_entities

# ---- entities-review.tsv (applied to final_entities so that name checks see the result)
epath, erows = read_tsv("entities-review.tsv", ["entity_id", "field", "old", "new", "reason"])
LIST_FIELDS = {"synonyms", "xrefs"}
for r in erows:
    i, field = r["entity_id"], r["field"]
    if i not in final_entities:
        bad(epath, r["_line"], f"{i} is not an entity (after merges)")
        continue
    if field not in {"kind", "name", "synonyms", "xrefs", "description"}:
        bad(epath, r["_line"], f"unknown field {field}")
        continue
    if not r["reason"]:
        bad(epath, r["_line"], "no reason")
    old, new = r["old"], r["new"]
    if field in LIST_FIELDS:
        try:
            old, new = json.loads(old), json.loads(new)
        except ValueError as err:
            bad(epath, r["_line"], f"old/new must be JSON lists: {err}")
            continue
    current = entities[i].get(field) if i in entities else None
    if field in LIST_FIELDS:
        current = current or []
    if current != old:
        bad(epath, r["_line"], f"old value {old!r} is not the current {current!r}")
    if field == "kind" and new not in KINDS:
        bad(epath, r["_line"], f"kind {new} is not one of {sorted(KINDS)}")
    if field == "xrefs":
        for x in new:
            if x not in verified:
                bad(epath, r["_line"], f"xref {x} is not a verified row of xrefs.tsv")
    final_entities[i][field] = new
for old, kept in merged.items():  # a merged entity's name becomes a synonym of the kept one
    syn = final_entities[kept].setdefault("synonyms", [])
    if entities[old]["name"] not in syn and entities[old]["name"] != final_entities[kept]["name"]:
        bad(mpath, 0, f"{kept} does not list {old}'s name {entities[old]['name']!r} as a synonym (entities-review.tsv)")

# no two entities share a normalised name or synonym
def norm(s):
    return re.sub(r"[\s_\-]+", " ", s.strip().lower())

owner = {}
for i, e in final_entities.items():
    for label in {norm(e["name"]), *(norm(s) for s in e.get("synonyms") or [])}:
        if label in owner and owner[label] != i:
            bad(epath, 0, f"label {label!r} is on both {owner[label]} and {i}")
        owner[label] = i
xref_owner = {}
for i, e in final_entities.items():
    for x in e.get("xrefs") or []:
        if x in xref_owner:
            bad(epath, 0, f"xref {x} is on both {xref_owner[x]} and {i}")
        xref_owner[x] = i

# ---- relations.tsv
rpath, relations = read_tsv("relations.tsv", ["subject", "predicate", "object", "quote", "note"])
rel_pairs = set()
for r in relations:
    if r["predicate"] not in {"biolink:part_of", "biolink:subclass_of"}:
        bad(rpath, r["_line"], f"predicate {r['predicate']} is not biolink:part_of or biolink:subclass_of")
    for end in ("subject", "object"):
        if not entity_ok(r[end]):
            bad(rpath, r["_line"], f"{end} {r[end]} is not an entity")
    if r["quote"] not in article:
        bad(rpath, r["_line"], "quote is not verbatim in source-article.txt")
    if (r["subject"], r["object"]) in rel_pairs:
        bad(rpath, r["_line"], "duplicate relation")
    rel_pairs.add((r["subject"], r["object"]))

# ---- missing-claims.yaml
cpath = os.path.join(HERE, "missing-claims.yaml")
ids = set(link_by_id)
for l in missing:
    where = f"link {l['id']}"
    if l["id"] in ids:
        bad(cpath, 0, f"{where}: id already used")
    ids.add(l["id"])
    for end in ("subject", "object"):
        if not entity_ok(l[end]):
            bad(cpath, 0, f"{where}: {end} {l[end]} is not an entity")
    want = PREDICATES.get(l["predicate"])
    if want is None:
        bad(cpath, 0, f"{where}: unknown predicate {l['predicate']}")
    elif want and want != l["effect"]:
        bad(cpath, 0, f"{where}: {l['predicate']} needs effect {want}")
    if not l.get("evidence"):
        bad(cpath, 0, f"{where}: no evidence")
    for ev in l.get("evidence") or []:
        if ev.get("quote") not in article:
            bad(cpath, 0, f"{where}: quote is not verbatim: {ev.get('quote')!r}")
        if ev.get("knowledge_level") not in LEVELS:
            bad(cpath, 0, f"{where}: knowledge_level {ev.get('knowledge_level')}")
        if ev.get("knowledge_level") == "logical_entailment" and not ev.get("reasoning"):
            bad(cpath, 0, f"{where}: logical_entailment without reasoning")
        for ref in ev.get("references") or []:
            if ref not in references:
                bad(cpath, 0, f"{where}: unknown reference {ref}")

# ---- links-review.tsv
lpath, lrows = read_tsv("links-review.tsv", ["link_id", "verdict", "subject", "object", "predicate",
                                              "effect", "knowledge_level", "reasoning", "note"])
count = Counter(r["link_id"] for r in lrows)
for i in link_by_id:
    if count[i] != 1:
        bad(lpath, 0, f"link {i} has {count[i]} rows, want 1")
for i in count:
    if i not in link_by_id:
        bad(lpath, 0, f"{i} is not a link of links.yaml")
causal = []  # (subject, object, effect) of the final causal graph
for r in lrows:
    n, v = r["_line"], r["verdict"]
    if v not in {"keep", "fix", "inferred", "drop", "structural"}:
        bad(lpath, n, f"verdict {v}")
        continue
    for end in ("subject", "object"):
        if not entity_ok(r[end]):
            bad(lpath, n, f"{end} {r[end]} is not an entity after merges")
    want = PREDICATES.get(r["predicate"])
    if want is None:
        bad(lpath, n, f"unknown predicate {r['predicate']}")
    elif want and want != r["effect"]:
        bad(lpath, n, f"{r['predicate']} needs effect {want}")
    if r["effect"] not in {"INCREASES", "DECREASES"}:
        bad(lpath, n, f"effect {r['effect']}")
    orig = link_by_id.get(r["link_id"])
    if orig:
        changed = any(merged.get(orig[k], orig[k]) != r[k] for k in ("subject", "object", "predicate", "effect"))
        if v in {"keep", "inferred"} and changed:
            bad(lpath, n, f"verdict {v} but subject/object/predicate/effect differ from links.yaml")
        if v == "fix" and not changed:
            bad(lpath, n, "verdict fix but nothing changed")
    kl = r["knowledge_level"]
    if v in {"keep", "inferred", "fix"} and kl not in LEVELS:
        bad(lpath, n, f"knowledge_level {kl!r}")
    if v == "keep" and kl != "knowledge_assertion":
        bad(lpath, n, "keep must be knowledge_assertion")
    if v == "inferred" and kl != "logical_entailment":
        bad(lpath, n, "inferred must be logical_entailment")
    if kl == "logical_entailment" and not r["reasoning"]:
        bad(lpath, n, "logical_entailment without reasoning")
    if v in {"drop", "structural"} and kl:
        bad(lpath, n, f"{v} takes no knowledge_level")
    if v == "drop" and not r["note"]:
        bad(lpath, n, "drop without a note")
    if v == "structural" and not any(x["note"].find("from-link: " + r["link_id"]) >= 0 for x in relations):
        bad(lpath, n, "structural but no relations.tsv row names it (from-link:)")
    if v not in {"drop", "structural"}:
        causal.append((r["subject"], r["object"], r["effect"]))
for l in missing:
    causal.append((l["subject"], l["object"], l["effect"]))
edges = {(s, o) for s, o, _ in causal}
for s, o in rel_pairs:
    if (s, o) in edges or (o, s) in edges:
        bad(rpath, 0, f"{s} - {o} is both a relation and a causal link")

# shortcut-of chains: from the link's subject to its object along causal links of the final graph
SC = re.compile(r"shortcut-of: ([a-z0-9_]+(?:>[a-z0-9_]+)+)")
def check_chain(path, line, subj, obj, text):
    for chain in SC.findall(text):
        nodes = chain.split(">")
        if nodes[0] != subj or nodes[-1] != obj:
            bad(path, line, f"shortcut-of {chain} does not run from {subj} to {obj}")
        for a, b in zip(nodes, nodes[1:]):
            if (a, b) not in edges:
                bad(path, line, f"shortcut-of {chain}: no causal link {a} -> {b}")
for r in lrows:
    check_chain(lpath, r["_line"], r["subject"], r["object"], r["note"])
for l in missing:
    check_chain(cpath, 0, l["subject"], l["object"], l.get("curation_note", ""))
for tag in ("same-assertion-as", "alias-of", "inheritable-from", "parallel-to-class"):
    for r in lrows:
        for target in re.findall(tag + r": ([a-z0-9_]+)", r["note"]):
            if target not in link_by_id and target not in {l["id"] for l in missing}:
                bad(lpath, r["_line"], f"{tag} {target} is not a link")

# ---- evidence-review.tsv
vpath, vrows = read_tsv("evidence-review.tsv", ["link_id", "action", "quote", "section", "knowledge_level", "references", "note"])
missing_by_id = {l["id"]: l for l in missing}
for r in vrows:
    n = r["_line"]
    l = link_by_id.get(r["link_id"]) or missing_by_id.get(r["link_id"])
    if not l:
        bad(vpath, n, f"{r['link_id']} is not a link")
        continue
    if r["quote"] not in article:
        bad(vpath, n, "quote is not verbatim in source-article.txt")
    on_link = any(ev["quote"] == r["quote"] for ev in l["evidence"])
    if r["action"] in {"drop", "refs", "level"} and not on_link:
        bad(vpath, n, f"{r['action']}: the link has no evidence item with this quote")
    elif r["action"] == "add" and on_link:
        bad(vpath, n, "add: the link already has this quote")
    elif r["action"] not in {"drop", "refs", "level", "add"}:
        bad(vpath, n, f"action {r['action']}")
    if r["action"] in {"add", "level"} and r["knowledge_level"] not in LEVELS:
        bad(vpath, n, f"knowledge_level {r['knowledge_level']!r}")
    if r["action"] == "refs":
        for ref in json.loads(r["references"]):
            if ref not in references:
                bad(vpath, n, f"unknown reference {ref}")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"ok: {len(lrows)} links reviewed {dict(Counter(r['verdict'] for r in lrows))}; "
      f"{len(relations)} relations; {len(merges)} merges; {len(missing)} missing claims; "
      f"{len(new_entities)} new entities; {len(erows)} entity changes; {len(vrows)} evidence changes")
