"""A TRL reward function: ``GRPOTrainer(reward_funcs=axiomc.trl.reward, ...)``.

TRL calls ``reward(completions, **columns)`` with a batch's completions (strings, or for a
conversational dataset lists of message dicts) and every dataset column as a keyword (a list,
one value per completion), and takes a list of floats back.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence, Union

from .scoring import extract_answer, gold_label, strict_answer

__all__ = ["reward"]

Completion = Union[str, Sequence[Mapping[str, Any]]]
_GOLD_COLUMNS = ("label", "reward_model", "answer")


def _text(completion: Completion) -> str:
    """A completion's text: the string, or the last assistant message's content."""
    if isinstance(completion, str):
        return completion
    for message in reversed(completion):
        if message.get("role", "assistant") == "assistant":
            return message.get("content") or ""
    return ""


def _gold(columns: Mapping[str, Any], i: int) -> str:
    """Completion ``i``'s gold label from the ``label``, ``reward_model`` or ``answer`` column."""
    for name in _GOLD_COLUMNS:
        values = columns.get(name)
        if values is None:
            continue
        value = values[i]
        label = gold_label({"reward_model": value} if name == "reward_model" else {"label": value})
        if label is not None:
            return label
    raise ValueError(f"completion {i} has no Yes/No gold in a column {', '.join(_GOLD_COLUMNS)}")


def reward(completions: Sequence[Completion], *, strict: bool = False, **columns: Any) -> list[float]:
    """1.0 per completion whose final answer is its row's gold label, else 0.0.

    The gold is read from the dataset column ``label`` (the records, chat and completion
    layouts), ``reward_model`` (the rl layout: ``{"style", "ground_truth"}``) or ``answer``
    (:func:`axiomc.create_dataset`'s items), the first that holds Yes or No. Lenient (as
    ``axiomc eval`` reads answers) unless ``strict=True`` (``functools.partial(reward,
    strict=True)``: only the taught formats, as ``axiomc reward --strict``). Other columns TRL
    passes (``prompts``, ``completion_ids``, ``trainer_state``, ...) are ignored.

    Raises:
        ValueError: a row without a Yes/No gold in those columns.
    """
    read = strict_answer if strict else extract_answer
    return [1.0 if read(_text(c)) == _gold(columns, i) else 0.0 for i, c in enumerate(completions)]
