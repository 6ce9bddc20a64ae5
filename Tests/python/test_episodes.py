"""Experiment-then-exploit episodes against an independent evaluation: each record's hidden linear
system is rebuilt with networkx from `hidden` and evaluated in topological order, in exact
integers, under every admissible answer; the record's `values`, `best`, `worst`, rewards and
(noise-free) `results` and expert answer must follow. Total effects come from path sums over
networkx's simple paths, a second route to the same numbers.

Episodes come from `axiomc episodes sample` at levels across 3-9 variables, noise and settings,
and from a small compile of Corpora/episodes.yaml (its random family and held-out structures).
Run as `AXIOMC=$PWD/.build/release/axiomc python3 -m pytest -q Tests/python/test_episodes.py`."""
import json
import os
import random
import re
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

# Installed by the test command (Tests/python/requirements.txt): a missing library fails, never skips.
import networkx as nx

ROOT = Path(__file__).resolve().parents[2]
AXIOMC = os.environ.get("AXIOMC", str(ROOT / ".build" / "debug" / "axiomc"))
SAMPLED = 160


def sample(seed: int, **level) -> dict:
    args = [AXIOMC, "episodes", "sample", f"--seed={seed}"] + [f"--{k.replace('_', '-')}={v}" for k, v in level.items()]
    out = subprocess.run(args, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def sampled_records() -> list:
    rng = random.Random(20261207)
    records = []
    for i in range(SAMPLED):
        level = {"nodes": rng.randint(3, 9), "branching_factor": rng.choice([0.8, 1.2, 2, 2.5])}
        if i % 3 == 0:
            level.update(noise=rng.randint(1, 3), trials=rng.randint(1, 5))
        if i % 4 == 0:
            low = rng.randint(-3, 1)
            level.update(low=low, high=low + rng.randint(1, 6))
        records.append(sample(rng.randrange(10 ** 15), **level))
    return records


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list:
    # Corpora/episodes.yaml's shape with small counts: random graphs, held-out structures, 6-7
    # variables, noise.
    recipe = (ROOT / "Corpora" / "episodes.yaml").read_text()
    splits = len(re.findall(r"count: \d+", recipe))
    recipe = re.sub(r"count: \d+", "count: 12", recipe)
    recipe = re.sub(r"^name: .*$", "name: episodes-interop", recipe, flags=re.M)
    tmp = tmp_path_factory.mktemp("episodes")
    (tmp / "episodes.yaml").write_text(recipe)
    out = tmp / "corpus"
    done = subprocess.run([AXIOMC, "compile", str(tmp / "episodes.yaml"), "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    compiled = [json.loads(line) for f in sorted(out.glob("*.jsonl")) for line in f.read_text().splitlines()]
    assert len(compiled) == 12 * splits >= 48
    return sampled_records() + compiled


def graph_of(record: dict) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(record["variables"])
    for a, b, w in record["hidden"]["edges"]:
        assert w != 0 and not graph.has_edge(a, b)
        graph.add_edge(a, b, weight=w)
    return graph


def evaluate(graph: nx.DiGraph, constants: dict, do: tuple = None) -> dict:
    """Every variable's value with `do = (variable, value)` set (None: untouched)."""
    value = {}
    for v in nx.topological_sort(graph):
        if do is not None and v == do[0]:
            value[v] = do[1]
        else:
            value[v] = constants[v] + sum(graph[p][v]["weight"] * value[p] for p in graph.predecessors(v))
    return value


def noise_bound(graph: nx.DiGraph, noise: int, do: tuple = None) -> dict:
    """How far a mean over runs can sit from the noise-free value: each mechanism adds at most
    `noise`, carried along every path by the absolute weights."""
    bound = {}
    for v in nx.topological_sort(graph):
        if do is not None and v == do[0]:
            bound[v] = 0
        else:
            bound[v] = noise + sum(abs(graph[p][v]["weight"]) * bound[p] for p in graph.predecessors(v))
    return bound


def total_effect(graph: nx.DiGraph, x: str, y: str) -> int:
    total = 0
    for path in nx.all_simple_paths(graph, x, y):
        product = 1
        for a, b in zip(path, path[1:]):
            product *= graph[a][b]["weight"]
        total += product
    return total


def observation(line: str, prefix: str) -> dict:
    assert line.startswith(prefix) and line.endswith("."), line
    out = {}
    for pair in line[len(prefix):-1].split(", "):
        name, value = pair.split(" = ")
        out[name] = Fraction(value)
    return out


def written(value) -> str:
    """A value as the text writes it (noise-free values are whole numbers)."""
    return str(value)


def test_records_agree_with_a_topological_evaluation_of_the_hidden_system(records):
    kinds = {"noise-free": 0, "noisy": 0, "random family": 0}
    for record in records:
        rid = (record["id"], record["seed"])
        level, names, goal = record["level"], record["variables"], record["goal"]
        low, high = level["settings"]
        settings = range(low, high + 1)
        exact = level["noise"] == 0
        kinds["noise-free" if exact else "noisy"] += 1
        kinds["random family"] += level["family"] == "random"
        assert names == sorted(names) and len(names) == len(set(names)) == level["nodes"], rid
        assert goal in names and record["budget"] == len(names) - 1, rid
        assert set(record["hidden"]["constants"]) == set(names), rid

        graph = graph_of(record)
        assert nx.is_directed_acyclic_graph(graph), rid
        constants = record["hidden"]["constants"]

        # Every admissible answer's goal value, and nothing else.
        admissible = {f"set {x} to {v}": (x, v) for x in names if x != goal for v in settings}
        assert set(record["values"]) == set(admissible), rid
        values = {key: evaluate(graph, constants, do)[goal] for key, do in admissible.items()}
        assert record["values"] == values, rid
        best, worst = max(values.values()), min(values.values())
        assert (record["best"], record["worst"]) == (best, worst), rid
        assert best > worst, rid

        # The goal's line in each variable has the slope of the total effect (path sums).
        effects = {x: total_effect(graph, x, goal) for x in names if x != goal}
        for x, effect in effects.items():
            assert values[f"set {x} to {high}"] - values[f"set {x} to {low}"] == effect * (high - low), rid
            if x not in nx.ancestors(graph, goal):
                assert effect == 0, rid
        assert any(effects[x] != 0 for x in nx.ancestors(graph, goal)), rid

        # Rewards: the expert's answer, a uniformly random answer, the top setting of a random variable.
        def reward(key):
            return Fraction(values[key] - worst, best - worst)

        assert record["expert_value"] == values[record["answer"]], rid
        assert Fraction(record["expert_reward"]) == reward(record["answer"]), rid
        assert Fraction(record["random_reward"]) == sum(map(reward, admissible)) / len(admissible), rid
        others = [x for x in names if x != goal]
        assert Fraction(record["top_setting_reward"]) == sum(reward(f"set {x} to {high}") for x in others) / len(others), rid

        # What the agent sees: every experiment (the goal too) and the untouched system.
        experiments = {f"set {x} to {v}": (x, v) for x in names for v in settings}
        assert set(record["results"]) == set(experiments), rid
        baseline_line = record["prompt"].splitlines()[-1]
        if exact:
            assert values[record["answer"]] == best, rid
            assert baseline_line == "Without intervention: " + ", ".join(
                f"{v} = {written(n)}" for v, n in sorted(evaluate(graph, constants).items())) + ".", rid
            for key, do in experiments.items():
                seen = evaluate(graph, constants, do)
                assert record["results"][key] == "Result: " + ", ".join(
                    f"{v} = {written(seen[v])}" for v in names) + ".", (rid, key)
        else:
            # A mean over runs: within the noise's reach of the noise-free value, the set variable exact.
            trials = level["trials"]
            for do, line in [(None, baseline_line)] + [(do, record["results"][k]) for k, do in experiments.items()]:
                seen = observation(line, "Without intervention: " if do is None else "Result: ")
                assert list(seen) == names, rid
                expected, bound = evaluate(graph, constants, do), noise_bound(graph, level["noise"], do)
                for v in names:
                    assert abs(seen[v] - expected[v]) <= bound[v], (rid, do, v)
                    assert (seen[v] * trials).denominator == 1, (rid, do, v)
                if do is not None:
                    assert seen[do[0]] == do[1], rid
    print("episodes checked:", kinds)
    assert kinds["noise-free"] >= 100 and kinds["noisy"] >= 50 and kinds["random family"] >= 48
