"""Rewards for reinforcement learning: a completion's final answer against a record's gold label.

(The module is ``scoring``, not ``rewards``: ``axiomc.rewards`` is the function.)
"""
from __future__ import annotations

import json
import os
from typing import Any, Mapping, Sequence, Union

from ._binary import StrPath, run

__all__ = ["Record", "gold_label", "reward", "rewards"]

Record = Union[Mapping[str, Any], str]


def _yes_no(value: Any) -> str | None:
    """``"Yes"``/``"No"`` for a label written Yes/No in any case, with or without a final period."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith("."):
        text = text[:-1].rstrip()
    return {"yes": "Yes", "no": "No"}.get(text.lower())


def gold_label(record: Mapping[str, Any]) -> str | None:
    """The gold label of a corpus record of any layout, as ``"Yes"`` or ``"No"``; None if it has none.

    Read from ``label`` (records, chat, completion), else ``reward_model.ground_truth`` (rl),
    ignoring case and a final period (CLEAR words its answers ``"Yes."``/``"No."``).
    """
    label = _yes_no(record.get("label"))
    if label is None:
        model = record.get("reward_model")
        if isinstance(model, Mapping):
            label = _yes_no(model.get("ground_truth"))
    return label


def rewards(completions: Sequence[str], records: Sequence[Record], gold: StrPath | None = None,
            strict: bool = False) -> list[float]:
    """Rewards of many completions at once (one ``axiomc reward`` run); see :func:`reward`."""
    if len(completions) != len(records):
        raise ValueError(f"{len(completions)} completions for {len(records)} records")
    lines = []
    for completion, record in zip(completions, records):
        if isinstance(record, str):
            if gold is None:
                raise ValueError("a record given by id needs gold=CORPUS")
            lines.append(json.dumps({"completion": completion, "id": record}))
        else:
            # Only the label decides. A record without a Yes/No label goes whole, so that axiomc's
            # error names its line.
            label = gold_label(record)
            sent = {"label": label} if label is not None else dict(record)
            lines.append(json.dumps({"completion": completion, "record": sent}))
    if not lines:
        return []
    args = ["reward"] + (["--gold", os.fspath(gold)] if gold is not None else []) + (["--strict"] if strict else [])
    done = run(args, input="\n".join(lines) + "\n")
    return [float(x) for x in done.stdout.split()]


def reward(completion: str, record: Record, gold: StrPath | None = None, strict: bool = False) -> float:
    """1.0 when the final answer in ``completion`` is the record's gold label, else 0.0.

    The answer is read exactly as ``axiomc eval`` reads it (the last ``<answer>…</answer>`` span;
    emphasis, quotes and a leading ``Answer:`` dropped; then ``yes``/``no``, else the last whole
    word yes or no), so the mean reward equals eval's accuracy on the same outputs.

    Args:
        completion: the model's output.
        record: a corpus record of any layout (its gold label as :func:`gold_label` reads it), or
            a record id together with ``gold``.
        gold: the corpus to look ids up in.
        strict: 1.0 only for a format the layouts teach, naming the gold: a last non-empty
            line ``Answer: Yes`` / ``Answer: No``, or the bare answer ``Yes`` / ``No`` (a final
            period allowed; ``axiomc reward --strict``).

    Raises:
        AxiomcError: the record has no Yes/No label, or an id is not in ``gold``.
        ValueError: an id without ``gold``.
    """
    return rewards([completion], [record], gold, strict)[0]
