"""Tests of the installed axiomc wheel, run from a directory outside the checkout.

CI (scripts/test.sh) installs the wheel into a fresh virtual environment and runs these from an
empty temporary directory: no Grammars/ or Corpora/ to fall back on.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import axiomc


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return axiomc.compile("smoke", tmp_path_factory.mktemp("c") / "smoke", jobs=2)


def shard_lines(corpus: Path, split: str) -> list[str]:
    manifest = json.loads((corpus / "manifest.json").read_text())
    lines: list[str] = []
    for shard in manifest["splits"][split]["shards"]:
        lines += (corpus / shard["file"]).read_text().splitlines()
    return lines


def test_runs_the_bundled_binary_outside_a_checkout() -> None:
    assert not Path("Grammars").exists() and not Path("Corpora").exists()
    if "AXIOMC_BIN" not in os.environ:
        assert "site-packages" in axiomc.__file__, axiomc.__file__
        assert Path(axiomc.binary()).parent == Path(axiomc.__file__).resolve().parent / "bin"
    version = subprocess.run([axiomc.binary(), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == axiomc.__version__


def test_compile_returns_the_directory_and_refuses_to_overwrite(corpus: Path) -> None:
    assert (corpus / "manifest.json").is_file()
    # The directory is a Path that also carries axiomc's summary (compile --json).
    manifest = json.loads((corpus / "manifest.json").read_text())
    summary = corpus.summary
    assert summary["recipe"] == "smoke" and Path(summary["out"]) == corpus.resolve()
    assert [s["name"] for s in summary["splits"]] == manifest["splitOrder"]
    for s in summary["splits"]:
        assert s["records"] == manifest["splits"][s["name"]]["records"]
        assert s["labels"] == manifest["splits"][s["name"]]["labels"]
    assert summary["records"] == sum(s["records"] for s in summary["splits"]) == 540
    with pytest.raises(axiomc.AxiomcError) as e:
        axiomc.compile("smoke", corpus, seed=8)
    assert e.value.returncode != 0 and "--force" in e.value.message
    with pytest.raises(axiomc.AxiomcError) as e:
        axiomc.compile("no-such-recipe", corpus.parent / "x")
    assert "no recipe found" in str(e.value) and "embedded: " in e.value.message and "default" in e.value.message


def test_compile_scale_makes_a_smaller_corpus_that_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = axiomc.compile("smoke", tmp_path / "small", scale=0.1, jobs=2)
    assert [s["records"] for s in small.summary["splits"]] == [30, 12, 12]
    assert axiomc.check(small)["passed"]
    # Without out=, the directory axiomc chose (out/<recipe>, absolute) comes back.
    monkeypatch.chdir(tmp_path)
    chosen = axiomc.compile("smoke", scale=0.1, jobs=2)
    assert chosen == tmp_path / "out" / "smoke" and (chosen / "manifest.json").is_file()
    with pytest.raises(axiomc.AxiomcError) as e:
        axiomc.compile("smoke", tmp_path / "big", scale=2)
    assert "--scale" in e.value.message


def test_load_gives_every_split_with_the_manifests_counts(corpus: Path) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text())
    ds = axiomc.load(corpus)
    assert list(ds.keys()) == manifest["splitOrder"]
    for name, split in manifest["splits"].items():
        assert ds[name].num_rows == split["records"]
        assert ds[name]["label"].count("Yes") == split["labels"]["Yes"]
    train = axiomc.load(corpus, split="train")
    assert train[0]["id"] == json.loads(shard_lines(corpus, "train")[0])["id"]



def listing(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


def test_load_writes_nothing_into_the_corpus_and_follows_a_recompile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datasets

    # The library's default cache, moved under tmp_path for the test.
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", str(tmp_path / "default-cache"))
    out = axiomc.compile("smoke", tmp_path / "c", seed=1, jobs=2)
    before = listing(out)
    first = axiomc.load(out, split="eval_branching")
    assert listing(out) == before
    digest = axiomc.corpora.manifest_digest(out)
    assert (tmp_path / "default-cache" / "axiomc" / digest).is_dir()
    # A user's cache_dir is keyed the same way.
    axiomc.load(out, split="eval_branching", cache_dir=tmp_path / "mine")
    assert (tmp_path / "mine" / "axiomc" / digest).is_dir() and listing(out) == before
    # Recompiled into the same directory with another seed: the new rows, not the cached ones.
    axiomc.compile("smoke", out, seed=2, jobs=2, force=True)
    second = axiomc.load(out, split="eval_branching")
    assert axiomc.corpora.manifest_digest(out) != digest
    assert second[0]["premise"] == json.loads(shard_lines(out, "eval_branching")[0])["premise"] != first[0]["premise"]
    assert listing(out) == before

def test_records_stream_the_shard_files_records_in_order(corpus: Path) -> None:
    for split in ["train", "eval_branching"]:
        expected = [json.loads(line) for line in shard_lines(corpus, split)]
        assert list(axiomc.records("smoke", split)) == expected
        assert list(axiomc.records("smoke", split, 7)) == expected[:7]
    stream = axiomc.records("smoke", "train", None)
    assert next(stream)["id"] == json.loads(shard_lines(corpus, "train")[0])["id"]
    stream.close()  # stops axiomc early without an error
    with pytest.raises(axiomc.AxiomcError) as e:
        list(axiomc.records("smoke", "nope", 3))
    assert e.value.returncode == 1 and "no split 'nope'" in e.value.message


def outputs(rows: list[dict]) -> list[str]:
    """Model outputs of every kind the extraction rules handle: right, wrong, reasoned, invalid."""
    made = []
    for i, r in enumerate(rows):
        right, wrong = r["label"], "No" if r["label"] == "Yes" else "Yes"
        made.append([
            right,
            wrong,
            f"Let me think step by step. The answer is {right.lower()}.",
            f"<answer>{wrong}</answer>",
            f"**Final answer: {right}**",
            "I cannot tell.",
            f"{wrong}... no wait, {right}",
        ][i % 7])
    return made


def test_reward_and_evaluate_give_the_numbers_of_the_cli(corpus: Path, tmp_path: Path) -> None:
    rows = [json.loads(line) for s in ["eval_long_chains", "eval_branching"] for line in shard_lines(corpus, s)]
    completions = outputs(rows)
    scores = axiomc.rewards(completions, rows)
    assert set(scores) == {0.0, 1.0}
    # One at a time, by record or by id, the same.
    for i in [0, 1, 2, 3, 5, 6]:
        assert axiomc.reward(completions[i], rows[i]) == scores[i]
        assert axiomc.reward(completions[i], rows[i]["id"], gold=corpus) == scores[i]

    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text("".join(json.dumps({"id": r["id"], "prediction": c}) + "\n" for r, c in zip(rows, completions)))
    evaluation = axiomc.evaluate(corpus, predictions)
    overall = evaluation["overall"]
    assert overall["n"] == len(rows) == 240
    assert overall["correct"] == sum(scores)
    assert overall["accuracy"] == pytest.approx(sum(scores) / len(scores))
    # The CLI itself, on the same file and lines.
    cli = subprocess.run([axiomc.binary(), "eval", "--gold", str(corpus), "--predictions", str(predictions), "--json"],
                         capture_output=True, text=True, check=True)
    assert json.loads(cli.stdout)["evaluations"][0]["overall"] == overall
    lines = "".join(json.dumps({"completion": c, "record": r}) + "\n" for r, c in zip(rows, completions))
    cli_rewards = subprocess.run([axiomc.binary(), "reward"], input=lines, capture_output=True, text=True, check=True)
    assert [float(x) for x in cli_rewards.stdout.split()] == scores
    # A mapping works as predictions too; missing ones fail unless allowed.
    assert axiomc.evaluate(corpus, {r["id"]: c for r, c in zip(rows, completions)})["overall"] == overall
    with pytest.raises(axiomc.AxiomcError) as e:
        axiomc.evaluate(corpus, {rows[0]["id"]: "Yes"})
    assert "no prediction" in e.value.message
    assert axiomc.evaluate(corpus, {rows[0]["id"]: rows[0]["label"]}, allow_missing=True)["overall"]["accuracy"] == 1


def test_check_reports_a_pass_and_a_tampered_corpus(corpus: Path, tmp_path: Path) -> None:
    report = axiomc.check(corpus)
    assert report["passed"] and report["records"] == 540 and report["violations"] == []
    scores = [s for tasks in report["textProbe"].values() for s in tasks.values()]
    assert scores and all(0 <= s["accuracy"] <= 1 and s["records"] > 0 for s in scores)
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    shard = sorted((copy / "train").glob("*.jsonl"))[0]
    shard.write_text(shard.read_text().replace('"label":"Yes"', '"label":"No"', 1))
    bad = axiomc.check(copy)
    assert not bad["passed"] and bad["violations"]
    with pytest.raises(axiomc.AxiomcError) as e:
        axiomc.check(tmp_path / "nothing")
    assert e.value.returncode != 0


def test_reward_errors_name_the_line() -> None:
    with pytest.raises(axiomc.AxiomcError) as e:
        axiomc.reward("yes", {"premise": "no label here"})
    assert "<stdin>:1" in e.value.message and "label" in e.value.message
    with pytest.raises(ValueError):
        axiomc.reward("yes", "train-000000000")


def test_reward_strict_and_rl_records(tmp_path: Path) -> None:
    out = axiomc.compile("smoke", tmp_path / "rl", seed=7, jobs=2, format="rl")
    shard = next((out / "train").glob("*.jsonl"))
    row = json.loads(shard.read_text().splitlines()[0])
    label = row["reward_model"]["ground_truth"]
    assert axiomc.reward(f"so the answer is {label.lower()}", row) == 1.0
    assert axiomc.reward(f"so the answer is {label.lower()}", row, strict=True) == 0.0
    assert axiomc.reward(f"Reasoning.\nAnswer: {label}", row, strict=True) == 1.0
