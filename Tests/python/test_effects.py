"""Rungs 1–3 against an independent library: `axiomc effect` on random binary models, checked
with pgmpy (variable elimination, its own do-operator and adjustment) and networkx (the graph
conditions), in floating point to 1e-9.

Association and the average effect come from pgmpy alone (`VariableElimination`,
`CausalInference.query(do=...)`). The effect on the treated and the natural effects use pgmpy's
conditional probabilities in the textbook formulas, adjusted for a different valid set than
axiomc's smallest one: the treatment's parents (ETT) and every non-descendant of the treatment
(NDE, NIE). axiomc must call a natural effect unidentified exactly when a descendant of the
treatment confounds the mediator and the outcome (networkx decides that here)."""
import itertools
import json
import os
import random
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

# Installed by the test command (Tests/python/requirements.txt): a missing library fails, never skips.
import networkx as nx
import pgmpy.models as pgmpy_models
from pgmpy.factors.discrete import TabularCPD
from pgmpy.inference import CausalInference, VariableElimination

ROOT = Path(__file__).resolve().parents[2]
AXIOMC = os.environ.get("AXIOMC", str(ROOT / ".build" / "debug" / "axiomc"))
NAMES = ["A", "B", "C", "D", "E", "F"]


def random_model(rng: random.Random):
    n = rng.randint(3, 6)
    names = NAMES[:n]
    order = names[:]
    rng.shuffle(order)
    edges = [(a, b) for i, a in enumerate(order) for b in order[i + 1:] if rng.random() < 0.5]
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    graph.add_edges_from(edges)
    tables = {}
    for v in names:
        parents = sorted(graph.predecessors(v))
        rng.shuffle(parents)  # axiomc takes the parents in any order
        tables[v] = {"parents": parents, "p": [rng.randint(1, 99) / 100 for _ in range(2 ** len(parents))]}
    doc = {"variables": names, "edges": [list(e) for e in edges], "tables": tables}
    return doc, graph


def to_pgmpy(doc, graph):
    model = pgmpy_models.DiscreteBayesianNetwork(list(graph.edges))
    model.add_nodes_from(doc["variables"])
    for v, t in doc["tables"].items():
        p1 = t["p"]
        cpd = TabularCPD(v, 2, [[1 - p for p in p1], p1], evidence=t["parents"] or None,
                         evidence_card=[2] * len(t["parents"]) or None)
        model.add_cpds(cpd)
    model.check_model()
    return model


def axiomc(model_file: Path, quantity: str, x: str, y: str, m: str | None = None):
    args = [AXIOMC, "effect", "--model", str(model_file), "--quantity", quantity, "--treatment", x,
            "--outcome", y, "--json"]
    if m:
        args += ["--mediator", m]
    out = subprocess.run(args, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


class Probabilities:
    """P(event | given) by pgmpy's variable elimination, cached."""

    def __init__(self, model):
        self.infer = VariableElimination(model)
        self.cache = {}

    def __call__(self, event: dict, given: dict | None = None) -> float:
        given = given or {}
        key = (tuple(sorted(event.items())), tuple(sorted(given.items())))
        if key not in self.cache:
            q = self.infer.query(list(event), evidence=given or None, joint=True, show_progress=False)
            self.cache[key] = float(q.get_value(**event))
        return self.cache[key]


def assignments(nodes):
    for values in itertools.product([0, 1], repeat=len(nodes)):
        yield dict(zip(nodes, values))


def ett(p, graph, x, y):
    z = sorted(graph.predecessors(x))
    return sum(p(zs, {x: 1}) * (p({y: 1}, {x: 1, **zs}) - p({y: 1}, {x: 0, **zs}))
               for zs in assignments(z)) if z else p({y: 1}, {x: 1}) - p({y: 1}, {x: 0})


def natural(p, graph, kind, x, y, m):
    z = sorted(set(graph.nodes) - nx.descendants(graph, x) - {x})
    total = 0.0
    for zs in assignments(z):
        pz = p(zs) if zs else 1.0
        for mv in (0, 1):
            if kind == "nde":
                total += pz * p({m: mv}, {x: 0, **zs}) * (p({y: 1}, {x: 1, m: mv, **zs}) - p({y: 1}, {x: 0, m: mv, **zs}))
            else:
                total += pz * p({y: 1}, {x: 0, m: mv, **zs}) * (p({m: mv}, {x: 1, **zs}) - p({m: mv}, {x: 0, **zs}))
    return total


def recanting_witness(graph, x, y, m):
    without_m = graph.subgraph(set(graph.nodes) - {m})
    return any(w not in (x, y, m) and m in nx.descendants(graph, w) and y in nx.descendants(without_m, w)
               for w in nx.descendants(graph, x))


def test_effects_agree_with_pgmpy(tmp_path):
    rng = random.Random(2026)
    checked = {"association": 0, "ate": 0, "ett": 0, "nde": 0, "nie": 0}
    refused = 0
    for i in range(30):
        doc, graph = random_model(rng)
        path = tmp_path / f"model{i}.json"
        path.write_text(json.dumps(doc))
        model = to_pgmpy(doc, graph)
        p = Probabilities(model)
        causal = CausalInference(model)
        pairs = [(x, y) for x in graph.nodes for y in graph.nodes if x != y]
        for x, y in rng.sample(pairs, min(6, len(pairs))):
            got = {q: Fraction(axiomc(path, q, x, y)["value"]) for q in ("association", "ate", "ett")}
            assert abs(float(got["association"]) - (p({y: 1}, {x: 1}) - p({y: 1}, {x: 0}))) < 1e-9
            if y in nx.ancestors(graph, x):
                # pgmpy refuses to ask about a cause of the treatment; intervening on x leaves it alone.
                assert got["ate"] == 0 and got["ett"] == 0
            else:
                do = [float(causal.query([y], do={x: v}, show_progress=False).get_value(**{y: 1})) for v in (1, 0)]
                assert abs(float(got["ate"]) - (do[0] - do[1])) < 1e-9, (doc, x, y)
                assert abs(float(got["ett"]) - ett(p, graph, x, y)) < 1e-9, (doc, x, y)
            checked["association"] += 1
            checked["ate"] += 1
            checked["ett"] += 1
            for m in nx.descendants(graph, x) & set(nx.ancestors(graph, y)):
                for kind in ("nde", "nie"):
                    answer = axiomc(path, kind, x, y, m)
                    if recanting_witness(graph, x, y, m):
                        assert not answer["identified"], (doc, kind, x, y, m)
                        refused += 1
                        continue
                    assert answer["identified"], (doc, kind, x, y, m)
                    assert abs(float(Fraction(answer["value"])) - natural(p, graph, kind, x, y, m)) < 1e-9
                    checked[kind] += 1
    assert all(n > 0 for n in checked.values()), checked


def test_a_bad_model_is_named(tmp_path):
    doc = {"variables": ["X", "Y"], "edges": [["X", "Y"]],
           "tables": {"X": {"parents": [], "p": [0.5]}, "Y": {"parents": ["X"], "p": [0.5, 0.405]}}}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    out = subprocess.run([AXIOMC, "effect", "--model", str(path), "--quantity", "ate", "--treatment", "X",
                          "--outcome", "Y"], capture_output=True, text=True)
    assert out.returncode != 0
    assert out.stderr.strip() == f"{path}: error: tables.Y.p[1]: 0.405 is not a probability with two decimals in 0.01…0.99"


INTERVENTIONS = """name: interventions-pgmpy
seed: 5
grammar: models
names: {alphabet: A-Z, length: [1, 2]}
defaults: {tasks: [association, intervention, treated-effect], family: random, edge_probability: 0.5,
           control: all, twins: all}
splits:
  - {name: train, role: train, nodes: [3, 6], count: 180}
  - {name: eval, role: eval, nodes: [7, 7], count: 60}
"""


def test_model_records_agree_with_pgmpy(tmp_path):
    """Every record of a compiled corpus of the three model tasks, recomputed from the record's
    own `graph.tables`: exactly, by enumerating the model here (the label is the sign of the
    association, the do-effect or the effect on the treated; the controlled cues the signs of
    the other two), and by pgmpy's do-operator and variable elimination (the same values to
    1e-9); twins share the graph and hold the opposite label."""
    recipe = tmp_path / "interventions.yaml"
    recipe.write_text(INTERVENTIONS)
    out = tmp_path / "corpus"
    run = subprocess.run([AXIOMC, "compile", str(recipe), "--out", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for f in sorted(out.glob("*/*.jsonl")) for line in f.read_text().splitlines()]
    assert len(records) == 240
    by_id = {r["id"]: r for r in records}
    # Per task and controlled cue: how many Yes and No records have it set.
    cued: dict[tuple[str, str], dict[str, int]] = {}
    for r in records:
        names = r["graph"]["nodes"]
        graph = nx.DiGraph()
        graph.add_nodes_from(names)
        graph.add_edges_from((names[a], names[b]) for a, b in r["graph"]["edges"])
        tables = {}
        for v, table in enumerate(r["graph"]["tables"]):
            # Parents ascending by index, the first the most significant digit of a row: the model
            # document's order, which is pgmpy's column order (docs/corpus-format.md).
            parents = sorted(a for a, b in r["graph"]["edges"] if b == v)
            assert len(table) == 2 ** len(parents)
            tables[names[v]] = {"parents": [names[p] for p in parents], "p": [c / 100 for c in table]}
        model = to_pgmpy({"variables": names, "tables": tables}, graph)
        x, y = names[r["query"]["x"]], names[r["query"]["y"]]
        effect, association, treated = exact_values(tables, names, x, y)
        task = r["axiom"]
        quantities = {"association-positive": association, "effect-positive": effect,
                      "treated-effect-positive": treated}
        asked = {"association": "association-positive", "intervention": "effect-positive",
                 "treated-effect": "treated-effect-positive"}[task]
        assert (r["label"] == "Yes") == (quantities[asked] > 0), r["id"]
        # The controlled cues: the signs of the two other quantities.
        for cue, value in quantities.items():
            if cue != asked:
                assert (cue in r["meta"]["cues"]) == (value > 0), (r["id"], cue)
        if task != "association":
            # An effect needs a directed path: questions the graph alone answers are not asked.
            assert y not in nx.ancestors(graph, x) and nx.has_path(graph, x, y)
        if y in nx.descendants(graph, x):
            causal = CausalInference(model)
            do = [float(causal.query([y], do={x: v}, show_progress=False).get_value(**{y: 1})) for v in (1, 0)]
            assert abs((do[0] - do[1]) - float(effect)) < 1e-9, (r["id"], do)
        else:
            # pgmpy refuses do-queries on non-descendants; setting x leaves y alone.
            assert effect == 0 and treated == 0, r["id"]
        p = Probabilities(model)
        assert abs(p({y: 1}, {x: 1}) - p({y: 1}, {x: 0}) - float(association)) < 1e-9
        for cue in quantities:
            if cue != asked and cue in r["meta"]["cues"]:
                cued.setdefault((task, cue), {"Yes": 0, "No": 0})[r["label"]] += 1
        twin = by_id[r["meta"]["twin"]]
        assert twin["graph"]["edges"] == r["graph"]["edges"] and twin["label"] != r["label"]
        assert twin["meta"]["cues"] == r["meta"]["cues"], r["id"]
    # Balanced inside each task and cue (a corpus this small may leave some cue unset for a task).
    for cell, counts in cued.items():
        assert counts["Yes"] == counts["No"], (cell, counts)
    assert sum(counts["Yes"] for counts in cued.values()) > 0


def exact_values(tables, names, x, y):
    """The average effect P(y=1 | do(x=1)) − P(y=1 | do(x=0)), the association P(y=1 | x=1) −
    P(y=1 | x=0) and the effect on the treated E[Y(1) − Y(0) | x=1], as Fractions, by enumerating
    every assignment of the model's tables. The last from its textbook identification by x's
    parents: E[Y(0) | x=1] = Σ_pa P(pa | x=1) · P(y=1 | do(x=0), pa), x's noise independent of
    the rest."""
    def factor(v, values):
        t = tables[v]
        row = sum(values[p] << (len(t["parents"]) - 1 - i) for i, p in enumerate(t["parents"]))
        p1 = Fraction(round(t["p"][row] * 100), 100)
        return p1 if values[v] else 1 - p1
    parents = tables[x]["parents"]
    do = {1: Fraction(0), 0: Fraction(0)}
    joint = {(1, 1): Fraction(0), (0, 1): Fraction(0), (1, 0): Fraction(0), (0, 0): Fraction(0)}
    # Per value of x's parents: P(pa, x=1), P(pa) under do(x=0) and P(pa, y=1) under do(x=0).
    pa_treated, pa_do0, pa_y_do0 = {}, {}, {}
    for bits in itertools.product([0, 1], repeat=len(names)):
        values = dict(zip(names, bits))
        others = Fraction(1)
        for v in names:
            if v != x:
                others *= factor(v, values)
        if values[y]:
            do[values[x]] += others
        joint[(values[x], values[y])] += others * factor(x, values)
        key = tuple(values[p] for p in parents)
        if values[x]:
            pa_treated[key] = pa_treated.get(key, Fraction(0)) + others * factor(x, values)
        else:
            pa_do0[key] = pa_do0.get(key, Fraction(0)) + others
            if values[y]:
                pa_y_do0[key] = pa_y_do0.get(key, Fraction(0)) + others
    given = {v: joint[(v, 1)] / (joint[(v, 1)] + joint[(v, 0)]) for v in (1, 0)}
    treated_total = sum(pa_treated.values())
    untreated_outcome = sum(w / treated_total * pa_y_do0.get(k, Fraction(0)) / pa_do0[k]
                            for k, w in pa_treated.items())
    return do[1] - do[0], given[1] - given[0], given[1] - untreated_outcome
