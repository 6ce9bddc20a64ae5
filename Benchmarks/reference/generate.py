"""A straightforward Python generator on networkx, for comparison with `axiomc compile`.

It produces the same kind of records as one split of an axiomc recipe: the same graph families
and sizes, axioms, paper-style text and JSONL fields (id, split, axiom, premise, hypothesis,
label, prompt, completion, graph, query, meta), balanced labels, each graph reused for
`queries_per_graph` queries. It is what a researcher would write by hand with the library causal
researchers use; it is not tuned, and it is not part of axiomc.

    python3 generate.py RECIPE.yaml --split train --count 50000 --out /tmp/ref.jsonl
"""
import argparse
import json
import random
import string
import sys

import networkx as nx
import yaml

WRAPPER = "Answer the following question with ONLY 'Yes' or 'No'.\n\nPremise: "
RESERVED = {"causes", "does", "cause", "are", "and", "d-separated", "given", "yes", "no", "answer", "the",
            "following", "question", "with", "only", "or", "premise"}


def names(rng, n, lengths):
    alphabet = string.ascii_letters + string.digits
    out, seen = [], set()
    while len(out) < n:
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(*lengths)))
        if name.lower() in seen or name.lower() in RESERVED:
            continue
        seen.add(name.lower())
        out.append(name)
    return out


def make_graph(rng, spec, n):
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    family = spec["family"]
    flips = 0
    if family in ("chain", "flipped-chain"):
        p = spec.get("flip_probability", 0.0) if family == "flipped-chain" else 0.0
        for i in range(n - 1):
            if rng.random() < p:
                g.add_edge(i + 1, i)
                flips += 1
            else:
                g.add_edge(i, i + 1)
    elif family == "branching":
        order = list(range(n))
        rng.shuffle(order)
        m = min(n * (n - 1) // 2, max(n - 1, round(spec["branching_factor"] * n)))
        for j in range(1, n):
            g.add_edge(order[rng.randrange(j)], order[j])
        pairs = [(order[i], order[j]) for i in range(n) for j in range(i + 1, n) if not g.has_edge(order[i], order[j])]
        for a, b in rng.sample(pairs, m - g.number_of_edges()):
            g.add_edge(a, b)
    else:
        raise SystemExit(f"family {family} not supported by the reference")
    return g, flips


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recipe")
    ap.add_argument("--split", default="train")
    ap.add_argument("--count", type=int)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    recipe = yaml.safe_load(open(args.recipe))
    spec = dict(recipe.get("defaults", {}))
    spec.update(next(s for s in recipe["splits"] if s["name"] == args.split))
    count = args.count or spec["count"]
    tasks = spec["tasks"] if "tasks" in spec else spec["axioms"]  # 'axioms' is the recipe key's alias
    axioms = tasks if isinstance(tasks, list) else [tasks]
    nodes = spec["nodes"] if isinstance(spec["nodes"], list) else [spec["nodes"], spec["nodes"]]
    given = spec.get("given_size", [0, 0])
    given = given if isinstance(given, list) else [given, given]
    orders = spec.get("order", ["graph"])
    orders = orders if isinstance(orders, list) else [orders]
    per_graph = spec.get("queries_per_graph", 1)
    lengths = recipe.get("names", {}).get("length", [1, 3])
    lengths = lengths if isinstance(lengths, list) else [lengths, lengths]
    rng = random.Random(args.seed)
    made, graph_no, want_yes = 0, 0, True
    seen = set()
    with open(args.out, "w") as out:
        while made < count:
            axiom = axioms[graph_no % len(axioms)]
            graph_no += 1
            n = rng.randint(*nodes)
            g, flips = make_graph(rng, spec, n)
            label_names = names(rng, n, lengths)
            edges = list(g.edges())
            order = rng.choice(orders)
            if order == "reversed":
                edges = edges[::-1]
            elif order == "shuffled":
                rng.shuffle(edges)
            premise = " ".join(f"{label_names[a]} causes {label_names[b]}." for a, b in edges)
            for _ in range(per_graph):
                if made >= count:
                    break
                for _try in range(64):
                    x, y = rng.sample(range(n), 2)
                    z = []
                    if axiom == "transitivity":
                        yes = nx.has_path(g, x, y)
                    else:
                        k = rng.randint(given[0], min(given[1], n - 2))
                        z = sorted(rng.sample([v for v in range(n) if v not in (x, y)], k))
                        yes = nx.is_d_separator(g, {x}, {y}, set(z))
                    if yes == want_yes:
                        break
                else:
                    break
                if axiom == "transitivity":
                    hypothesis = f"Does {label_names[x]} cause {label_names[y]}?"
                else:
                    a, b = sorted([label_names[x], label_names[y]])
                    zs = ", ".join(sorted(label_names[v] for v in z))
                    hypothesis = f"Are {a} and {b} d-separated" + (f" given {{{zs}}}?" if z else "?")
                key = (premise, hypothesis)
                if key in seen:
                    continue
                seen.add(key)
                label = "Yes" if yes else "No"
                hops = nx.shortest_path_length(g, x, y) if nx.has_path(g, x, y) else None
                record = {
                    "id": f"{args.split}-{made:09d}", "split": args.split, "axiom": axiom,
                    "premise": premise, "hypothesis": hypothesis, "label": label,
                    "prompt": WRAPPER + premise + " " + hypothesis, "completion": label,
                    "graph": {"nodes": label_names, "edges": [list(e) for e in edges]},
                    "query": {"x": x, "y": y, "given": z},
                    "meta": {"family": spec["family"], "nodes": n, "edges": len(edges), "hops": hops, "flips": flips,
                             "branching": spec.get("branching_factor"), "name_length": max(map(len, label_names)),
                             "order": order, "given_size": len(z), "distractors": 0, "direction": None},
                }
                out.write(json.dumps(record, separators=(",", ":")) + "\n")
                made += 1
                want_yes = not want_yes
    print(f"reference: {made} records", file=sys.stderr)


if __name__ == "__main__":
    main()
