"""The procedural API: datasets in memory in reasoning-gym's shape, deterministic by seed."""
from __future__ import annotations

import collections

import pytest

import axiomc


def test_a_task_gives_items_with_question_answer_and_the_whole_record() -> None:
    ds = axiomc.create_dataset("mediator", size=40, seed=3)
    assert len(ds) == 40 and len(list(ds)) == 40
    for item in ds:
        assert set(item) == {"question", "answer", "metadata"}
        assert item["answer"] in ("Yes", "No")
        meta = item["metadata"]
        assert meta["axiom"] == "mediator" and meta["source_dataset"] == "mediator"
        assert meta["label"] == item["answer"] and meta["hypothesis"] in item["question"]
        assert meta["graph"]["nodes"] and meta["explanation"] and meta["meta"]["type"]
    # Skeleton twins by default: labels balanced, every twin in the set.
    labels = collections.Counter(item["answer"] for item in ds)
    assert labels["Yes"] == labels["No"] == 20
    ids = {item["metadata"]["id"] for item in ds}
    assert all(item["metadata"]["meta"]["twin"] in ids for item in ds)


def test_one_seed_gives_the_same_items_another_seed_others() -> None:
    a = axiomc.create_dataset("transitivity", size=20, seed=5)
    b = axiomc.create_dataset("transitivity", size=20, seed=5)
    c = axiomc.create_dataset("transitivity", size=20, seed=6)
    assert [x["question"] for x in a] == [x["question"] for x in b]
    assert [x["question"] for x in a] != [x["question"] for x in c]


def test_a_weighted_mix_interleaves_tasks_in_their_shares() -> None:
    ds = axiomc.create_dataset("mix", size=60, seed=1, tasks={"transitivity": 2, "collider": 1})
    counts = collections.Counter(item["metadata"]["source_dataset"] for item in ds)
    assert counts == {"transitivity": 40, "collider": 20}
    order = [item["metadata"]["source_dataset"] for item in ds]
    assert order != sorted(order), "the mix is interleaved"
    # Adding a task leaves the others' items as they were.
    more = axiomc.create_dataset("mix", size=90, seed=1, tasks={"transitivity": 2, "collider": 1, "mediator": 1.5})
    before = {x["question"] for x in ds if x["metadata"]["source_dataset"] == "collider"}
    after = {x["question"] for x in more if x["metadata"]["source_dataset"] == "collider"}
    assert before == after


def test_config_reaches_the_recipe_and_bad_config_is_a_clear_error() -> None:
    ds = axiomc.create_dataset("d-separation", size=10, seed=2, nodes=[9, 9], explanations=False)
    assert all(item["metadata"]["meta"]["nodes"] == 9 and "explanation" not in item["metadata"] for item in ds)
    stats = axiomc.create_dataset("correlation-to-causation", size=12, seed=2)
    assert all(item["question"].startswith("Premise: ") for item in stats)
    with pytest.raises(axiomc.AxiomcError, match="nodes|unknown"):
        axiomc.create_dataset("transitivity", size=10, nodes="many")
    with pytest.raises(ValueError):
        axiomc.create_dataset("mix", size=10)
    with pytest.raises(ValueError):
        axiomc.create_dataset("transitivity", size=0)


def test_score_answer_reads_answers_as_eval_does() -> None:
    ds = axiomc.create_dataset("collider", size=10, seed=4)
    for item in ds:
        right, wrong = item["answer"], "No" if item["answer"] == "Yes" else "Yes"
        assert axiomc.score_answer(f"Reasoning.\nAnswer: {right}", item) == 1.0
        assert ds.score_answer(f"**{right}**", item) == 1.0
        assert axiomc.score_answer(f"Answer: {wrong}", item) == 0.0
        assert axiomc.score_answer(None, item) == 0.0
