"""The learnability check (`examples/learnability/learnability.py --smoke`) runs end to end: it
compiles its four recipes at scale 0.01, trains every arm with two seeds for 20 steps, scores
them, and writes results.json (every field below), results.md and accuracy.svg. The curriculum
arm reports its levels and every level change (at smoke size each level's 5-step share runs
out, so all three changes happen). It asserts that the pipeline completes and reports, not what a
20-step model scores. Skips without torch. The binary: $AXIOMC, else $AXIOMC_BIN, else the debug build."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXIOMC = os.environ.get("AXIOMC") or os.environ.get("AXIOMC_BIN") or str(ROOT / ".build" / "debug" / "axiomc")


def test_learnability_smoke_reports_every_field(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    out = tmp_path / "learn"
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples/learnability/learnability.py"), "--smoke", "--out", str(out)],
        env=dict(os.environ, AXIOMC_BIN=AXIOMC), capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads((out / "results.json").read_text())
    arms = ["answer", "answer-then-search", "search-then-answer", "proof-then-answer", "uncontrolled-answer",
            "confounded-answer", "confounded-search-then-answer", "curriculum-answer"]
    splits = ["eval_4_6", "eval_7_9", "eval_10_12", "eval_13_15"]
    assert list(result["arms"]) == arms
    assert set(result["probes"]) == set(splits)
    for split in splits:
        assert {"cues", "skeleton"} <= set(result["probes"][split])
        assert 0.0 <= result["probes"][split]["skeleton"] <= 1.0
    for arm in arms:
        entry = result["arms"][arm]
        assert set(entry["runs"]) == {"0", "1"}
        assert all(r["steps"] == 20 for r in entry["runs"].values())
        for split in splits:
            s = entry["splits"][split]
            assert s["n"] > 0 and 0.0 <= s["accuracy"] <= 1.0
            assert s["ci95"][0] <= s["accuracy"] <= s["ci95"][1]
            assert set(s["by_seed"]) == {"0", "1"} and s["by_nodes"]
            assert ("derivation_exact" in s) == entry["layout"].startswith("explain")
        assert entry["order"] == ("nodes" if arm == "curriculum-answer" else "shuffled")
        assert all(("curriculum" in r) == (arm == "curriculum-answer") for r in entry["runs"].values())
    for run in result["arms"]["curriculum-answer"]["runs"].values():
        c = run["curriculum"]
        assert c["levels"] == sorted(c["levels"]) and len(c["levels"]) >= 2
        assert {"target", "every", "cap_steps", "checks", "final_level"} <= set(c)
        assert set(c["held_out"]) == set(c["final_held_out"]) == {str(n) for n in c["levels"]}
        assert [h["from"] for h in c["history"]] == c["levels"]
        assert [h["to"] for h in c["history"]] == c["levels"][1:] + ["mixture"]
        steps = [h["step"] for h in c["history"]]
        assert steps == sorted(steps) and steps[-1] < run["steps"]
        for h in c["history"]:
            assert h["why"] in ("target", "budget") and 0.0 <= h["accuracy"] <= 1.0
    pairs = {(m["a"], m["b"], m["split"]) for m in result["mcnemar"]}
    assert len(pairs) == len(arms) * (len(arms) - 1) // 2 * len(splits)
    assert all(0.0 <= m["p"] <= 1.0 for m in result["mcnemar"])
    md = (out / "results.md").read_text()
    assert "| answer |" in md and "| curriculum-answer |" in md
    assert "- curriculum-answer seed 0 " in md and "6 -> mixture at step" in md
    assert (out / "accuracy.svg").read_text().startswith("<svg")
