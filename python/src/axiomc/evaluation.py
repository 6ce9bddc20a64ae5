"""Scoring a file (or a mapping) of model predictions against a compiled corpus."""
from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Iterable, Mapping, Sequence, Union

from ._binary import StrPath, flags, run

__all__ = ["Predictions", "evaluate"]

Predictions = Union[StrPath, Mapping[str, str], Iterable[Mapping[str, Any]]]


def evaluate(gold: StrPath, predictions: Predictions, split: str | Sequence[str] | None = None,
             allow_missing: bool = False, **options: Any) -> dict[str, Any]:
    """Scores predictions against a compiled corpus (``axiomc eval --json``); returns the
    evaluation of the file (``overall``, ``buckets``, ``missing``, …).

    Args:
        gold: the corpus directory.
        predictions: a file in any format ``axiomc eval`` reads, or a mapping id → model output,
            or dicts with ``id`` and ``prediction``.
        split: split(s) to score against (default: every eval split).
        allow_missing: score a subset instead of failing on gold records without a prediction.
        **options: further ``axiomc eval`` options by name (``format="csv"``).

    Raises:
        AxiomcError: unknown ids, duplicates or missing predictions (unless allowed), a malformed
            line.
    """
    splits = [split] if isinstance(split, str) else list(split or [])
    with tempfile.TemporaryDirectory(prefix="axiomc-eval-") as tmp:
        if isinstance(predictions, (str, os.PathLike)):
            path = os.fspath(predictions)
        else:
            path = os.path.join(tmp, "predictions.jsonl")
            items = ([{"id": k, "prediction": v} for k, v in predictions.items()]
                     if isinstance(predictions, Mapping) else list(predictions))
            with open(path, "w", encoding="utf-8") as f:
                for item in items:
                    f.write(json.dumps({"id": item["id"], "prediction": item["prediction"]}) + "\n")
        args = ["eval", "--gold", os.fspath(gold), "--json", "--predictions", path]
        args += flags({"split": splits, "allow_missing": allow_missing, **options})
        done = run(args)
    evaluation: dict[str, Any] = json.loads(done.stdout)["evaluations"][0]
    return evaluation
