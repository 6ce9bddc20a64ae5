"""veRL's compute_score and TRL's reward function, on every task and every layout; rl parquet."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import axiomc
from axiomc.trl import reward as trl_reward
from axiomc.verl import compute_score

TASKS = ["transitivity", "d-separation", "collider", "common-cause", "mediator", "markov-blanket",
         "backdoor", "frontdoor", "correlation-to-causation", "intervention",
         "association", "treated-effect"]
LAYOUTS = ["records", "chat", "completion", "rl"]
OTHER = {"Yes": "No", "No": "Yes"}


def _answers(gold: str) -> tuple[list[str], list[str]]:
    """Completions naming ``gold`` (the first two in taught formats), and ones that do not."""
    right = [f"Reasoning first.\nAnswer: {gold}", gold, f"<answer>{gold.lower()}</answer>"]
    wrong = [f"Reasoning first.\nAnswer: {OTHER[gold]}", "I cannot tell.", ""]
    return right, wrong


@pytest.mark.parametrize("task", TASKS)
def test_compute_score_on_every_task(task: str) -> None:
    items = axiomc.create_dataset(task, size=4, seed=1)
    for item in items:
        right, wrong = _answers(item["answer"])
        assert [compute_score(task, a, item["answer"]) for a in right] == [1.0, 1.0, 1.0]
        assert [compute_score(task, a, item["answer"]) for a in wrong] == [0.0, 0.0, 0.0]
        assert [compute_score(task, a, item["answer"], strict=True) for a in right] == [1.0, 1.0, 0.0]
        assert compute_score(task, right[2], item["answer"], {"strict": True}) == 0.0
        assert items.score_answer(right[0], item) == 1.0 and items.score_answer(wrong[0], item) == 0.0


@pytest.fixture(scope="module", params=LAYOUTS)
def layout_corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(request.param) / "smoke"
    return request.param, axiomc.compile("smoke", out, format=request.param, scale=0.05)


def _records(corpus: Path) -> list[dict]:
    manifest = json.loads((corpus / "manifest.json").read_text())
    return [json.loads(line) for split in manifest["splitOrder"] for shard in manifest["splits"][split]["shards"]
            for line in (corpus / shard["file"]).read_text().splitlines()]


def test_compute_score_and_trl_reward_on_every_layout(layout_corpus: tuple[str, Path]) -> None:
    layout, corpus = layout_corpus
    records = _records(corpus)
    assert records
    for record in records:
        gold = axiomc.scoring.gold_label(record)
        truth = record["reward_model"]["ground_truth"] if layout == "rl" else record["label"]
        source = record.get("data_source", "axiomc")
        right, wrong = _answers(gold)
        assert [compute_score(source, a, truth, record.get("extra_info")) for a in right] == [1.0] * 3
        assert [compute_score(source, a, truth, record.get("extra_info")) for a in wrong] == [0.0] * 3
        assert axiomc.rewards(right + wrong, [record] * 6) == [1.0] * 3 + [0.0] * 3
    # TRL passes each column as a list; the rl layout's gold is reward_model, the others' label.
    column = "reward_model" if layout == "rl" else "label"
    golds = [r[column] for r in records]
    answers = [f"Answer: {axiomc.scoring.gold_label(r)}" for r in records]
    assert trl_reward(answers, **{column: golds}) == [1.0] * len(records)
    assert trl_reward(["Answer: maybe"] * len(records), **{column: golds}) == [0.0] * len(records)


def test_trl_reward_reads_conversational_completions_and_every_gold_column() -> None:
    chat = [[{"role": "assistant", "content": "Hmm.\nAnswer: Yes"}],
            [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "no"}],
            [{"content": "**Yes**"}],
            [{"role": "assistant", "content": None}]]
    golds = ["Yes", "No", "No", "Yes"]
    assert trl_reward(chat, label=golds) == [1.0, 1.0, 0.0, 0.0]
    assert trl_reward(chat, answer=golds, prompts=["p"] * 4) == [1.0, 1.0, 0.0, 0.0]
    rl = [{"style": "rule", "ground_truth": g} for g in golds]
    assert trl_reward(chat, reward_model=rl, strict=True) == [1.0, 0.0, 0.0, 0.0]
    assert trl_reward(["yes", "Answer: No."], label=["Yes.", "no"]) == [1.0, 1.0]
    with pytest.raises(ValueError, match="no Yes/No gold"):
        trl_reward(["yes"], prompts=["p"])


def test_compute_score_refuses_a_ground_truth_that_is_not_yes_or_no() -> None:
    with pytest.raises(ValueError, match="not Yes or No"):
        compute_score("axiomc/smoke/train", "Answer: Yes", "Maybe")


def test_to_parquet_round_trips_an_rl_corpus(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    corpus = axiomc.compile("smoke", tmp_path / "smoke", format="rl", scale=0.1)
    files = axiomc.to_parquet(corpus)
    manifest = json.loads((corpus / "manifest.json").read_text())
    assert list(files) == manifest["splitOrder"]
    assert all(path.parent == tmp_path / "smoke-parquet" for path in files.values())
    for split, path in files.items():
        table = pq.read_table(path)
        assert table.column_names == ["data_source", "prompt", "ability", "reward_model", "extra_info"]
        lines = [json.loads(line) for shard in manifest["splits"][split]["shards"]
                 for line in (corpus / shard["file"]).read_text().splitlines()]
        assert table.to_pylist() == lines
        first = table.to_pylist()[0]
        assert first["prompt"][0]["role"] == "user" and first["reward_model"]["ground_truth"] in ("Yes", "No")
    other = axiomc.to_parquet(corpus, tmp_path / "elsewhere")
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == sorted(f"{s}.parquet" for s in other)


def test_to_parquet_refuses_a_corpus_of_another_layout(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    corpus = axiomc.compile("smoke", tmp_path / "smoke", format="chat", scale=0.05)
    with pytest.raises(ValueError, match="not rl"):
        axiomc.to_parquet(corpus)
