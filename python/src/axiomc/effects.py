"""Exact causal effects in binary causal models (``axiomc effect``): rungs 1–3 of Pearl's ladder."""
from __future__ import annotations

import json
import os
from fractions import Fraction
from typing import Any, Mapping

from ._binary import StrPath, run


def effect(model: Mapping[str, Any] | StrPath, quantity: str, treatment: str, outcome: str,
           mediator: str | None = None) -> dict[str, Any]:
    """An association, average effect, effect on the treated or natural effect, exactly.

    Args:
        model: a model document as a dict (``variables``, ``edges``, ``tables``; see
            docs/causal-models.md) or the path of one.
        quantity: ``association``, ``ate``, ``ett``, ``nde`` or ``nie``.
        treatment, outcome: variable names; ``mediator`` too, for ``nde`` and ``nie``.

    Returns:
        ``axiomc effect --json``'s object (``identified``, ``route``, ``adjustment``, ``strata``,
        ``decimal``, ...), with ``value`` as a :class:`fractions.Fraction` (``None`` when the
        effect is not identified).

    Raises:
        AxiomcError: the model or the question is invalid (axiomc's message names the field).
    """
    question = ["--quantity", quantity, "--treatment", treatment, "--outcome", outcome, "--json"]
    if mediator is not None:
        question += ["--mediator", mediator]
    if isinstance(model, Mapping):
        done = run(["effect", "--model", "-", *question], input=json.dumps(model))
    else:
        done = run(["effect", "--model", os.fspath(model), *question])
    result: dict[str, Any] = json.loads(done.stdout)
    result["value"] = None if result.get("value") is None else Fraction(result["value"])
    return result
