"""End to end, every shipped recipe in every record layout, at a reduced size (`compile --scale`).

One test per recipe × layout. Each compiles the recipe (`axiomc.compile(..., format=, scale=)`) and
then checks, collecting every failure before it reports (so one case's message is the whole list
of what is wrong with it):

- check: `axiomc check` passes;
- names: no node name is a number or a word of the recipe's grammar;
- labels: every record's gold label (`label`, or rl's `reward_model.ground_truth`) is `Yes` or `No`;
- load: `axiomc.load` (`datasets.load_dataset(DIR)`, which reads the card README.md) loads every
  split with the card's features and the manifest's counts, and writes nothing into the corpus;
- eval: each record's label text as its prediction scores accuracy 1 in `axiomc eval` (every
  split), the opposite labels 0;
- reward: the label text as a completion gets 1.0 from `axiomc reward` (by record and by id with
  `--gold`) and from `axiomc.rewards`, the opposite 0.0;
- strict: the layout's answer text (the chat assistant message, the completion layout's
  `completion`, else `Answer: ` + the label as the record writes it, after the explanation when
  there is one) gets 1.0 from `axiomc reward --strict` and `axiomc.rewards(strict=True)`; its
  answer line turned to the opposite label gets 0.0.

A recipe is in the matrix by being shipped: the list comes from `axiomc recipes --json`, run in the
repository root. `AXIOMC_E2E_SCALE` changes the size (default 0.001: every split's count × 0.001,
rounded up). The 28 cases (7 recipes) took 2 min 4 s on 2 busy cores with a debug binary:
`AXIOMC=$PWD/.build/debug/axiomc python3 -m pytest -q Tests/python/test_end_to_end.py`.
"""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXIOMC = os.environ.get("AXIOMC", str(ROOT / ".build" / "debug" / "axiomc"))
SCALE = float(os.environ.get("AXIOMC_E2E_SCALE", "0.001"))
LAYOUTS = ["records", "chat", "completion", "rl"]

# The package of this checkout, run on the binary under test.
sys.path.insert(0, str(ROOT / "python" / "src"))
import axiomc  # noqa: E402
from axiomc.scoring import gold_label  # noqa: E402


def shipped_recipes() -> list[str]:
    """The recipes of Corpora/ and those built into the binary (a user's $AXIOMC_PATH left out)."""
    env = {k: v for k, v in os.environ.items() if k != "AXIOMC_PATH"}
    listed = subprocess.run([AXIOMC, "recipes", "--json"], cwd=ROOT, env=env, capture_output=True, text=True)
    if listed.returncode != 0:
        raise RuntimeError(f"{AXIOMC} recipes --json failed: {listed.stderr.strip()}")
    # Episode recipes (kind: episodes) have a corpus shape of their own: test_episodes.py.
    return [r["name"] for r in json.loads(listed.stdout) if r.get("kind", "questions") == "questions"]


CASES = [pytest.param(r, l, id=f"{r}/{l}") for r in shipped_recipes() for l in LAYOUTS]


@pytest.fixture(autouse=True)
def binary_under_test(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AXIOMC_BIN", AXIOMC)
    monkeypatch.delenv("AXIOMC_PATH", raising=False)
    monkeypatch.chdir(ROOT)  # recipes and grammars as `axiomc recipes` listed them


class Problems:
    """Failures of a case's checks, collected so that one run lists them all."""

    def __init__(self) -> None:
        self.found: list[str] = []

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        try:
            yield
        except Exception as e:  # noqa: BLE001 — every failure of a step is a finding
            self.found.append(f"{name}: {describe(e)}")


def describe(error: BaseException) -> str:
    """The error's first line (pytest's assertion rewriting adds more), then its causes'."""
    parts = []
    while error is not None and len(parts) < 3:
        lines = str(error).strip().splitlines() or [""]
        if isinstance(error, AssertionError):
            parts.append(lines[0][:500])
        else:
            parts.append(f"{type(error).__name__}: {' '.join(l.strip() for l in lines)[:500]}")
        error = error.__cause__ or error.__context__
    return " <- ".join(parts)


def manifest_grammar(corpus: Path) -> str:
    """The grammar the corpus's recipe names (the recipe is embedded in its card)."""
    for line in (corpus / "README.md").read_text().splitlines():
        if line.startswith("grammar: "):
            return line.split(":", 1)[1].strip()
    raise AssertionError("the card's recipe names no grammar")


def grammar_words(grammar: str) -> set[str]:
    """Every word of Grammars/<grammar>.xml's templates and answers (comments and tags left out)."""
    import re

    text = (ROOT / "Grammars" / f"{grammar}.xml").read_text()
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    answers = re.findall(r'(?:yes|no)="([^"]*)"', text)
    text = re.sub(r"<[^>]+>", " ", text) + " " + " ".join(answers)
    return set(re.findall(r"[A-Za-z0-9][A-Za-z0-9_-]*", text))


def opposite(label: str) -> str:
    return "No" if label == "Yes" else "Yes"


def record_id(record: dict[str, Any]) -> str:
    return record["id"] if "id" in record else record["extra_info"]["id"]


def raw_label(record: dict[str, Any]) -> Any:
    return record["label"] if "label" in record else record.get("reward_model", {}).get("ground_truth")


def answer_text(record: dict[str, Any], layout: str) -> str:
    """What the layout teaches a model to write for this record (its last line is the answer line)."""
    if layout == "chat":
        return record["messages"][-1]["content"]
    if layout == "completion":
        return record["completion"]
    explanation = record.get("explanation") or record.get("extra_info", {}).get("explanation")
    return (explanation + "\n" if explanation else "") + "Answer: " + str(raw_label(record))


def turned(text: str, label: str) -> str:
    """``text`` with its answer line naming the other label."""
    head, _, _ = text.rpartition("\n")
    return (head + "\n" if head else "") + "Answer: " + opposite(label)


def cli_reward(lines: list[dict[str, Any]], *flags: str) -> list[str]:
    done = subprocess.run([AXIOMC, "reward", *flags], input="".join(json.dumps(l) + "\n" for l in lines),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr.strip()
    return done.stdout.split()


def cli_eval(corpus: Path, splits: list[str], predictions: Path) -> dict[str, Any]:
    args = [AXIOMC, "eval", "--gold", str(corpus), "--predictions", str(predictions), "--json"]
    for s in splits:
        args += ["--split", s]
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr.strip()
    return json.loads(done.stdout)["evaluations"][0]["overall"]


def listing(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


@pytest.mark.parametrize("recipe, layout", CASES)
def test_recipe_in_layout(recipe: str, layout: str, tmp_path: Path) -> None:
    corpus = axiomc.compile(recipe, tmp_path / "corpus", format=layout, scale=SCALE, jobs=2)
    manifest = json.loads((corpus / "manifest.json").read_text())
    splits: list[str] = manifest["splitOrder"]
    assert corpus.summary["records"] == sum(manifest["splits"][s]["records"] for s in splits) > 0
    rows = {s: [json.loads(line) for shard in manifest["splits"][s]["shards"]
                for line in (corpus / shard["file"]).read_text().splitlines()] for s in splits}
    every = [r for s in splits for r in rows[s]]
    problems = Problems()

    with problems.step("check"):
        report = axiomc.check(corpus)
        found = [f"{v.get('split', '-')}: {v['message']}" for v in report["violations"]]
        assert report["passed"] and not found, f"{len(found)} violations, e.g. {'; '.join(found[:3])}"

    with problems.step("labels"):
        bad = sorted({repr(raw_label(r)) for r in every} - {"'Yes'", "'No'"})
        assert not bad, f"gold labels other than Yes/No: {', '.join(bad)}"

    with problems.step("names"):
        # No node name is a number or a word its grammar writes (exact case: case-sensitive
        # recipes keep "A" beside the article "a").
        words = grammar_words(manifest_grammar(corpus))
        flat = [r.get("extra_info", r) for r in every]
        bad_names = sorted({n for r in flat for n in r["graph"]["nodes"] if n.isdigit() or n in words})
        assert not bad_names, f"node names that are numbers or grammar words: {bad_names[:10]}"

    with problems.step("load"):
        import datasets

        before = listing(corpus)
        card = datasets.load_dataset_builder(str(corpus), cache_dir=str(tmp_path / "hf")).info.features
        ds = axiomc.load(corpus, cache_dir=tmp_path / "hf")
        assert card is not None, "the card (README.md) declares no features"
        assert list(ds.keys()) == splits
        for s in splits:
            assert ds[s].num_rows == manifest["splits"][s]["records"], s
            assert ds[s].features == card, f"{s}: features differ from the card's"
            assert record_id(ds[s][0]) == record_id(rows[s][0]), s
        assert listing(corpus) == before, "load wrote into the corpus directory"

    golds = [gold_label(r) for r in every]
    with problems.step("gold"):
        missing = [record_id(r) for r, g in zip(every, golds) if g is None]
        assert not missing, f"{len(missing)} records without a Yes/No label, e.g. {missing[:3]}"
    if any(g is None for g in golds):
        pytest.fail(f"{recipe}/{layout}:\n  " + "\n  ".join(problems.found), pytrace=False)

    # The record's own label text as the model's answer (CLEAR's is "Yes."/"No." today); the
    # opposite of its Yes/No reading as the wrong one.
    labels = [str(raw_label(r)) for r in every]
    wrong = [opposite(g) for g in golds]

    with problems.step("eval"):
        for name, answers, accuracy in [("gold", labels, 1.0), ("opposite", wrong, 0.0)]:
            predictions = tmp_path / f"{name}.jsonl"
            predictions.write_text("".join(json.dumps({"id": record_id(r), "prediction": a}) + "\n"
                                           for r, a in zip(every, answers)))
            overall = cli_eval(corpus, splits, predictions)
            got = {k: overall[k] for k in ("n", "correct", "accuracy")}
            assert (overall["n"], overall["accuracy"]) == (len(every), accuracy), f"{name} labels scored {got}"

    with problems.step("reward"):
        assert set(cli_reward([{"completion": c, "record": r} for r, c in zip(every, labels)])) == {"1.0"}
        assert set(cli_reward([{"completion": c, "record": r} for r, c in zip(every, wrong)])) == {"0.0"}
        by_id = [{"completion": c, "id": record_id(r)} for r, c in zip(every, labels)]
        assert set(cli_reward(by_id, "--gold", str(corpus))) == {"1.0"}

    with problems.step("reward (Python)"):
        assert set(axiomc.rewards(labels, every)) == {1.0}
        assert set(axiomc.rewards(wrong, every)) == {0.0}

    texts = [answer_text(r, layout) for r in every]
    turned_texts = [turned(t, g) for t, g in zip(texts, golds)]

    def rejected(scores: list[Any]) -> str:
        lines = sorted({repr(t.splitlines()[-1]) for t, s in zip(texts, scores) if float(s) != 1.0})
        return f"{sum(float(s) != 1.0 for s in scores)} of {len(texts)} answer texts rejected, e.g. {', '.join(lines[:3])}"

    with problems.step("strict"):
        assert all(t.splitlines()[-1].startswith("Answer: ") for t in texts), texts[0][-200:]
        scores = cli_reward([{"completion": t, "record": r} for t, r in zip(texts, every)], "--strict")
        assert set(scores) == {"1.0"}, rejected(scores)
        wrong_scores = cli_reward([{"completion": t, "record": r} for t, r in zip(turned_texts, every)], "--strict")
        assert set(wrong_scores) == {"0.0"}, "an answer line naming the wrong label was rewarded"

    with problems.step("strict (Python)"):
        scores = axiomc.rewards(texts, every, strict=True)
        assert set(scores) == {1.0}, rejected(scores)
        assert set(axiomc.rewards(turned_texts, every, strict=True)) == {0.0}

    if problems.found:
        pytest.fail(f"{recipe}/{layout}:\n  " + "\n  ".join(problems.found), pytrace=False)
