"""Difficulty levels and curricula: levels set what the task table says, and the adaptive rule
moves one attribute at a time from the rewards it sees."""
from __future__ import annotations

import random

import pytest

import axiomc

TASKS = ["transitivity", "d-separation", "collider", "common-cause", "mediator", "markov-blanket",
         "backdoor", "frontdoor", "correlation-to-causation", "intervention",
         "association", "treated-effect"]


def table(task: str) -> dict:
    return next(t for t in axiomc.tasks() if t["name"] == task)["difficulty"]


def test_every_task_declares_five_levels_of_its_attributes() -> None:
    catalog = {t["name"]: t for t in axiomc.tasks()}
    assert sorted(catalog) == sorted(TASKS)
    for name, task in catalog.items():
        d = task["difficulty"]
        assert d["levels"] == 5 and d["presets"] == {"easy": 1, "medium": 3, "hard": 5}
        assert {"nodes", "density", "name_length"} <= set(d["attributes"]), name
        assert all(len(values) == 5 for values in d["attributes"].values()), name
        # Harder never means fewer nodes.
        nodes = d["attributes"]["nodes"]
        assert all(a[0] <= b[0] and a[1] <= b[1] for a, b in zip(nodes, nodes[1:])), name
    assert "given_size" in catalog["d-separation"]["difficulty"]["attributes"]
    assert "given_size" not in catalog["transitivity"]["difficulty"]["attributes"]


@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("level", ["easy", "hard"])
def test_a_level_sets_the_graphs_and_every_item_states_it(task: str, level: str) -> None:
    ds = axiomc.create_dataset(task, size=20, seed=2, level=level)
    n = 1 if level == "easy" else 5
    attributes = table(task)["attributes"]
    low, high = attributes["nodes"][n - 1]
    for item in ds:
        meta = item["metadata"]["meta"]
        assert meta["difficulty"] == n and item["metadata"]["levels"] == level
        assert low <= meta["nodes"] <= high
        if "given_size" in attributes:
            assert attributes["given_size"][n - 1][0] <= meta["given_size"] <= attributes["given_size"][n - 1][1]
        if "order" in attributes:
            assert meta["order"] in attributes["order"][n - 1]
        if "distractors" in attributes:  # a causal model's premise holds none
            assert meta["distractors"] == attributes["distractors"][n - 1]


def test_a_level_per_attribute_and_a_key_of_the_caller_wins() -> None:
    ds = axiomc.create_dataset("transitivity", size=10, seed=1, level={"nodes": 5, "order": 1})
    for item in ds:
        assert 12 <= item["metadata"]["meta"]["nodes"] <= 16 and item["metadata"]["meta"]["order"] == "graph"
        assert item["metadata"]["meta"]["difficulty"] == 3
    ds = axiomc.create_dataset("transitivity", size=10, seed=1, level="hard", nodes=[6, 6])
    assert {item["metadata"]["meta"]["nodes"] for item in ds} == {6}


def test_a_bad_level_is_axiomcs_located_error() -> None:
    with pytest.raises(axiomc.AxiomcError, match="'level' must be easy, medium, hard or a level 1–5, not 'brutal'"):
        axiomc.create_dataset("transitivity", size=4, level="brutal")


def test_levels_move_by_hand_within_bounds() -> None:
    c = axiomc.Curriculum("d-separation", level="medium")
    assert c.levels == {a: 3 for a in table("d-separation")["attributes"]}
    c.set_level(nodes=5)
    assert c.levels["nodes"] == 5 and not c.increment("nodes") and c.increment("density")
    assert c.levels["density"] == 4 and c.history[-1] == ("density", 3, 4)
    c.set_global_level("easy")
    assert set(c.levels.values()) == {1} and not c.decrement() and c.increment_global_level()
    assert set(c.levels.values()) == {2} and c.get_attr_level("order") == 2
    with pytest.raises(ValueError, match="no difficulty attribute 'depth'"):
        c.increment("depth")
    with pytest.raises(ValueError, match="a level is easy, medium, hard or 1-5, not 6"):
        c.set_level(6)
    with pytest.raises(ValueError, match="no task 'transitivty'"):
        axiomc.Curriculum("transitivty")


def test_the_adaptive_rule_moves_one_attribute_at_a_time() -> None:
    c = axiomc.Curriculum("transitivity", window=4, target=0.7, margin=0.1)
    # Not a full window yet: nothing moves.
    assert c.observe([1.0, 1.0, 1.0]) == [] and c.accuracy == 1.0
    assert c.observe(1.0) == [("nodes", 1, 2)] and c.rewards == []
    # Inside target ± margin: nothing moves, and the window slides.
    assert c.observe([1, 1, 1, 0, 1, 1, 1, 0]) == []
    assert c.observe([1, 1, 1, 1]) == [("density", 1, 2)]
    # A fall undoes the most recent raise first.
    assert c.observe([0, 0, 0, 0]) == [("density", 2, 1)]
    assert c.observe([0, 0, 0, 0]) == [("nodes", 2, 1)]
    assert c.observe([0, 0, 0, 0]) == [] and set(c.levels.values()) == {1}


def test_a_curriculum_climbs_from_easy_to_hard_for_a_model_that_keeps_up() -> None:
    """A model right whenever the graph is small enough for it, and guessing otherwise, whose
    reach grows with practice: the curriculum rises from easy to hard, each attribute in turn,
    and items always come at the curriculum's levels."""
    c = axiomc.Curriculum("mix", tasks={"transitivity": 1, "d-separation": 1}, window=16, target=0.75)
    rng = random.Random(0)
    seen = 0
    for step in range(200):
        items = c.dataset(16, seed=step)
        assert all(item["metadata"]["levels"] == c.levels for item in items)
        reach = 6 + seen // 64  # practice widens the graphs it can follow
        answers = [item["answer"] if item["metadata"]["meta"]["nodes"] <= reach else rng.choice(["Yes", "No"])
                   for item in items]
        seen += len(items)
        c.observe([axiomc.score_answer(a, item) for a, item in zip(answers, items)])
        if set(c.levels.values()) == {5}:
            break
    assert set(c.levels.values()) == {5}, c.levels
    raised = [a for a, old, new in c.history if new > old]
    assert raised[: len(c.attributes)] == c.attributes  # one attribute at a time, in turn
