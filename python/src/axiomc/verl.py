"""A veRL custom reward function: ``custom_reward_function.path`` = this file's module path,
``custom_reward_function.name`` = ``compute_score``.

veRL calls ``compute_score(data_source, solution_str, ground_truth, extra_info)`` per sample,
passing ``custom_reward_function.reward_kwargs`` as keywords; an rl corpus's
``reward_model.ground_truth`` is ``"Yes"``/``"No"``.
"""
from __future__ import annotations

from typing import Any, Mapping

from .scoring import extract_answer, gold_label, strict_answer

__all__ = ["compute_score"]


def compute_score(data_source: str, solution_str: str, ground_truth: str,
                  extra_info: Mapping[str, Any] | None = None, *, strict: bool = False,
                  **kwargs: Any) -> float:
    """1.0 when ``solution_str``'s final answer is ``ground_truth``, else 0.0 (``axiomc reward``).

    Lenient by default (the answer as ``axiomc eval`` reads it); strict — only the taught formats,
    as ``axiomc reward --strict`` — with ``strict=True`` (``reward_kwargs: {strict: true}``) or
    a truthy ``extra_info["strict"]``.

    Args:
        data_source: the record's ``data_source`` (any: every axiomc task is scored alike).
        solution_str: the model's decoded response.
        ground_truth: ``"Yes"`` or ``"No"`` (any case, a final period allowed).
        extra_info: the record's ``extra_info``; read only for ``"strict"``.
        strict: reward only the taught formats.
        **kwargs: further keywords veRL's reward managers may pass; ignored.

    Raises:
        ValueError: ``ground_truth`` is not Yes or No.
    """
    gold = gold_label({"label": ground_truth})
    if gold is None:
        raise ValueError(f"ground truth {ground_truth!r} of {data_source} is not Yes or No")
    strict = strict or bool(extra_info and extra_info.get("strict"))
    answer = strict_answer(solution_str) if strict else extract_answer(solution_str)
    return 1.0 if answer == gold else 0.0
