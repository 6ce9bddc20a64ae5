"""Rewards for reinforcement learning: a completion's final answer against a record's gold label.

:func:`extract_answer` and :func:`strict_answer` are Python ports of axiomc's Swift rules
(``AnswerExtraction.extract`` and ``Reward.strictAnswer``), so :func:`reward` and :func:`rewards`
score in process, with the binary's results; only records given by id go through
``axiomc reward --gold``. The port reads text as Swift does: by grapheme clusters, comparing
canonically equivalent text as equal, trimming Foundation's white space (see ``_unicode``).

(The module is ``scoring``, not ``rewards``: ``axiomc.rewards`` is the function.)
"""
from __future__ import annotations

import json
import os
import re
from typing import Any, Mapping, Sequence, Union

from ._binary import StrPath, run
from ._unicode import WHITESPACE, canonical, clusters, is_grapheme_extend, is_letter

__all__ = ["Record", "extract_answer", "gold_label", "reward", "rewards", "strict_answer"]

Record = Union[Mapping[str, Any], str]

# Dropped before reading (markdown emphasis and code, quotes, brackets), as whole clusters.
_DROPPED = frozenset("*_`\"'\u201c\u201d\u2018\u2019()[]{}")
# A dropped cluster is one scalar canonically equivalent to one of _DROPPED (U+1FEF is "`").
_DROPPED_SCALARS = _DROPPED | {"\u1fef"}
_DELETE_ASCII = str.maketrans("", "", "*_`\"'()[]{}")
_TRAILING = frozenset(".!,;:?")
_LABELS = ("final answer", "answer")
_LABEL_MARKS = frozenset(":-\uff1a")
_OPEN, _CLOSE = "<answer>", "</answer>"
_ASCII_WORD = re.compile(r"[a-z]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BLANKS = (" ", "\t")
_ANSWERS = {"yes": "Yes", "no": "No"}


def _fold(text: str) -> str:
    """``text`` case-folded one character per character (CoreFoundation's case-insensitive
    match); a character folding to several matches nothing in the tags."""
    out = []
    for c in text:
        folded = c.lower() if c.isascii() else c.casefold()
        out.append(folded if len(folded) == 1 else "\ufffd")
    return "".join(out)


def _find_tag(text: str, tag: str, backwards: bool) -> int | None:
    """The end of the last (``backwards``) or first case-insensitive ``tag`` in ``text``.

    Foundation's ``range(of:options: .caseInsensitive)``: a match followed by a combining
    character (grapheme extend) is no match.
    """
    key = text.lower() if text.isascii() else _fold(text)
    i = key.rfind(tag) if backwards else key.find(tag)
    while i >= 0:
        end = i + len(tag)
        if end == len(text) or not is_grapheme_extend(text[end]):
            return end
        i = key.rfind(tag, 0, end - 1) if backwards else key.find(tag, i + 1)
    return None


def _answer_span(text: str) -> str:
    """The text after the last ``<answer>`` up to the next ``</answer>``; else all of it."""
    start = _find_tag(text, _OPEN, backwards=True)
    if start is None:
        return text
    rest = text[start:]
    end = _find_tag(rest, _CLOSE, backwards=False)
    return rest if end is None else rest[: end - len(_CLOSE)]


def _drop_marks(text: str) -> str:
    """``text`` without the clusters that are emphasis, code marks, quotes or brackets."""
    if text.isascii():
        return text.translate(_DELETE_ASCII)
    if _DROPPED_SCALARS.isdisjoint(text):
        return text
    return "".join(c for c in clusters(text) if canonical(c) not in _DROPPED)


def _drop_label(text: str) -> str:
    """``text`` without leading ``final answer:`` / ``answer:`` labels (``-``, ``：`` too).

    (A cluster canonically equal to an ASCII letter is that letter, so text that does not start
    with a label's characters has no label.)
    """
    for label in _LABELS:
        if not text.startswith(label):
            continue
        parts = clusters(text)
        if [canonical(c) for c in parts[: len(label)]] != list(label):
            continue
        rest = parts[len(label):]
        i = 0
        while i < len(rest) and rest[i] == " ":
            i += 1
        if i < len(rest) and canonical(rest[i]) in _LABEL_MARKS:
            text = "".join(rest[i + 1:]).strip(WHITESPACE)
    return text


def _drop_trailing(text: str) -> str:
    """``text`` without trailing ``.``, ``!``, ``,``, ``;``, ``:``, ``?`` clusters."""
    if not text or canonical(text[-1]) not in _TRAILING:
        return text
    parts = clusters(text)
    while parts and canonical(parts[-1]) in _TRAILING:
        parts.pop()
    return "".join(parts)


def _last_word(text: str) -> str | None:
    """The last whole word yes or no in ``text`` (a word: a run of letter clusters)."""
    if text.isascii():
        words = _ASCII_WORD.findall(text)
    elif "yes" not in text and "no" not in text:
        return None
    else:
        words, word = [], []
        for c in clusters(text):
            if is_letter(c):
                word.append(c)
            else:
                words.append("".join(word))
                word = []
        words.append("".join(word))
    for word in reversed(words):
        answer = _ANSWERS.get(canonical(word))
        if answer is not None:
            return answer
    return None


def extract_answer(text: str) -> str | None:
    """The answer ``axiomc eval`` reads from a model's output: ``"Yes"``, ``"No"`` or None.

    Rules, in order (all case-insensitive): only the last ``<answer>…</answer>`` span is read,
    when there is one; markdown emphasis and code marks, quotes and brackets are dropped and
    space is trimmed; a leading ``Answer:`` / ``Final answer:`` (also ``-``, ``：``) label and
    trailing ``.!,;:?`` are dropped; what is left being ``yes`` or ``no`` decides; otherwise the
    last whole word yes or no does; otherwise (also for empty output) None, an invalid answer.
    """
    bare = text.lstrip(" ").rstrip(" \n")
    if bare in ("Yes", "yes", "No", "no"):
        return bare.capitalize()
    cleaned = _drop_marks(_answer_span(text)).lower().strip(WHITESPACE)
    cleaned = _drop_trailing(_drop_label(cleaned)).strip(WHITESPACE)
    answer = _ANSWERS.get(canonical(cleaned))
    return answer if answer is not None else _last_word(cleaned)


def _trim_blank(line: str) -> str:
    """``line`` without leading and trailing space and tab clusters."""
    if line.isascii():
        return line.strip(" \t")
    if line[:1] not in _BLANKS and line[-1:] not in _BLANKS:
        return line
    parts = clusters(line)
    start, end = 0, len(parts)
    while start < end and parts[start] in _BLANKS:
        start += 1
    while end > start and parts[end - 1] in _BLANKS:
        end -= 1
    return "".join(parts[start:end])


def strict_answer(text: str) -> str | None:
    """The answer of a completion in a format the layouts teach (``axiomc reward --strict``).

    ``"Yes"``/``"No"`` when the last non-empty line (lines end at LF, CRLF or CR; space and tab
    trimmed) is exactly ``Answer: Yes`` / ``Answer: No``, or the only non-empty line is exactly
    ``Yes`` / ``No``; a final ``.`` is allowed. None for anything else.
    """
    lines = [line for line in map(_trim_blank, _LINE_BREAK.split(text)) if line]
    if not lines:
        return None
    last = lines[-1]
    if last.endswith("."):
        parts = clusters(last)
        if parts[-1] == ".":
            last = "".join(parts[:-1])
    last = canonical(last)
    if last in ("Answer: Yes", "Answer: No"):
        return last[len("Answer: "):]
    if len(lines) == 1 and last in ("Yes", "No"):
        return last
    return None


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


def _scores(completions: Sequence[str], labels: Sequence[str], strict: bool) -> list[float]:
    read = strict_answer if strict else extract_answer
    for completion in completions:
        if not isinstance(completion, str):
            raise TypeError(f"a completion must be a str, not {type(completion).__name__}")
    return [1.0 if read(c) == label else 0.0 for c, label in zip(completions, labels)]


def _binary_rewards(completions: Sequence[str], records: Sequence[Record], gold: StrPath | None,
                    strict: bool) -> list[float]:
    """Rewards from one ``axiomc reward`` run (records by id, or without a Yes/No label)."""
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


def rewards(completions: Sequence[str], records: Sequence[Record], gold: StrPath | None = None,
            strict: bool = False) -> list[float]:
    """Rewards of many completions at once; see :func:`reward`.

    In process when every record is a mapping with a Yes/No gold label; otherwise (a record
    given by id, or one without a label) all go through one ``axiomc reward`` run.
    """
    if len(completions) != len(records):
        raise ValueError(f"{len(completions)} completions for {len(records)} records")
    labels = [gold_label(r) if isinstance(r, Mapping) else None for r in records]
    if all(label is not None for label in labels):
        return _scores(completions, labels, strict)  # type: ignore[arg-type]
    return _binary_rewards(completions, records, gold, strict)


def reward(completion: str, record: Record, gold: StrPath | None = None, strict: bool = False) -> float:
    """1.0 when the final answer in ``completion`` is the record's gold label, else 0.0.

    The answer is read exactly as ``axiomc eval`` reads it (:func:`extract_answer`: the last
    ``<answer>…</answer>`` span; emphasis, quotes and a leading ``Answer:`` dropped; then
    ``yes``/``no``, else the last whole word yes or no), so the mean reward equals eval's
    accuracy on the same outputs. A record with a label is scored in process (no subprocess);
    a record id is looked up by ``axiomc reward --gold``.

    Args:
        completion: the model's output.
        record: a corpus record of any layout (its gold label as :func:`gold_label` reads it), or
            a record id together with ``gold``.
        gold: the corpus to look ids up in.
        strict: 1.0 only for a format the layouts teach, naming the gold
            (:func:`strict_answer`): a last non-empty line ``Answer: Yes`` / ``Answer: No``, or
            the bare answer ``Yes`` / ``No`` (a final period allowed; ``axiomc reward --strict``).

    Raises:
        AxiomcError: the record has no Yes/No label, or an id is not in ``gold``.
        ValueError: an id without ``gold``.
        TypeError: a completion that is not a ``str`` (scored in process).
    """
    return rewards([completion], [record], gold, strict)[0]
