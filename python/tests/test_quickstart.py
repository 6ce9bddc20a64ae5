"""The README's Python quick start, in memory, step by step (it runs from the wheel, outside the
checkout, in CI): a 1,000-item mix, scores of a model's answers, a GRPO reward through
axiomc.trl.reward, and a curriculum the adaptive rule takes from easy to hard."""
from __future__ import annotations

import collections

import axiomc


def model(item: dict) -> str:
    """The quick start's stand-in model: always right."""
    return "Answer: " + item["answer"]


def test_a_thousand_item_mix_in_memory() -> None:
    items = axiomc.create_dataset("mix", size=1000, seed=0, tasks={"transitivity": 2, "mediator": 1})
    assert len(items) == 1000
    assert collections.Counter(i["metadata"]["source_dataset"] for i in items) == {"transitivity": 667, "mediator": 333}
    assert all(i["answer"] in ("Yes", "No") and i["metadata"]["label"] == i["answer"] for i in items)


def test_scores_of_a_models_answers() -> None:
    items = axiomc.create_dataset("mix", size=200, seed=0, tasks={"transitivity": 2, "mediator": 1})
    assert [axiomc.score_answer(model(i), i) for i in items] == [1.0] * 200
    flipped = [axiomc.score_answer("Answer: " + ("No" if i["answer"] == "Yes" else "Yes"), i) for i in items]
    assert flipped == [0.0] * 200
    # Exactly what the binary gives the same answers.
    assert axiomc.rewards([model(i) for i in items[:50]], [{"label": i["answer"]} for i in items[:50]]) == [1.0] * 50


def test_a_grpo_reward_through_trl() -> None:
    assert axiomc.trl.reward(["Answer: Yes", "No."], answer=["Yes", "Yes"]) == [1.0, 0.0]
    items = axiomc.create_dataset("collider", size=8, seed=1)
    chats = [[{"role": "assistant", "content": model(i)}] for i in items]
    assert axiomc.trl.reward(chats, answer=[i["answer"] for i in items]) == [1.0] * 8


def test_a_curriculum_goes_from_easy_to_hard_by_the_adaptive_rule() -> None:
    curriculum = axiomc.Curriculum("mix", tasks={"transitivity": 1, "d-separation": 1},
                                   level="easy", target=0.75, window=16)
    assert set(curriculum.levels.values()) == {1}
    for step in range(40):
        batch = curriculum.dataset(16, seed=step)
        # Every item states the mean of the levels it was made at, rounded half up.
        levels = curriculum.levels.values()
        assert {i["metadata"]["meta"]["difficulty"] for i in batch} == {(2 * sum(levels) + len(levels)) // (2 * len(levels))}
        curriculum.observe([axiomc.score_answer(model(i), i) for i in batch])
    assert set(curriculum.levels.values()) == {5}
    assert len(curriculum.history) == 4 * len(curriculum.attributes)
