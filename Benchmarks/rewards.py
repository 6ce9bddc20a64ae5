"""Rewards per second: in process (lenient and strict) against the axiomc subprocess path.

Usage: AXIOMC_BIN=.build/release/axiomc PYTHONPATH=python/src python3 Benchmarks/rewards.py [N]
Scores N completions (default 20,000: the seeded answers of python/tests/test_rewards_in_process.py,
repeated) against gold labels; writes Benchmarks/results/rewards.json.
"""
from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path
from typing import Callable

import axiomc
from axiomc.scoring import _binary_rewards

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python" / "tests"))
from test_rewards_in_process import ANSWERS  # noqa: E402


def rate(n: int, work: Callable[[], object], repeat: int = 3) -> float:
    """The best of ``repeat`` runs of ``work`` (which scores ``n`` completions), per second."""
    best = min(_seconds(work) for _ in range(repeat))
    return n / best


def _seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main(n: int) -> None:
    completions = (ANSWERS * (n // len(ANSWERS) + 1))[:n]
    ascii_only = [c for c in completions if c.isascii()]
    records = [{"label": "Yes" if i % 2 else "No"} for i in range(n)]
    one = [(completions[i], records[i]) for i in range(200)]
    results = {
        "completions": n,
        "in_process_lenient": rate(n, lambda: axiomc.rewards(completions, records)),
        "in_process_strict": rate(n, lambda: axiomc.rewards(completions, records, strict=True)),
        "in_process_lenient_ascii_only": rate(len(ascii_only), lambda: axiomc.rewards(ascii_only, records[:len(ascii_only)])),
        "subprocess_batch_lenient": rate(n, lambda: _binary_rewards(completions, records, None, False)),
        "subprocess_batch_strict": rate(n, lambda: _binary_rewards(completions, records, None, True)),
        "in_process_one_call_each": rate(len(one), lambda: [axiomc.reward(c, r) for c, r in one]),
        "subprocess_one_call_each": rate(len(one), lambda: [_binary_rewards([c], [r], None, False) for c, r in one], 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "binary": axiomc.binary(),
    }
    for key, value in results.items():
        print(f"{key:32} {value:,.0f} /s" if isinstance(value, float) else f"{key:32} {value}")
    out = ROOT / "Benchmarks" / "results" / "rewards.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
