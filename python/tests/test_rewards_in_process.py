"""In-process rewards agree with the binary's: 10,000 seeded answers, lenient and strict, both golds."""
from __future__ import annotations

import collections
import json
import random

import pytest

import axiomc
from axiomc._binary import run
from axiomc.scoring import extract_answer, strict_answer

WORDS = ["yes", "Yes", "YES", "no", "No", "NO", "yEs", "nO"]
DECOYS = ["yesterday", "nothing", "known", "noon", "eyes", "snow", "nope", "yess", "Nobody", "maybe"]
REASONING = [
    "Let me think. A causes B, and B causes C, so yes, A reaches C; but no path is blocked.",
    "Yesterday I said no. Nothing is known about D, and the answer is not obvious.",
    "Is X independent of Y given Z? Not in general: no, the collider opens the path. Yes.",
    "Known facts: E -> F. No backdoor path remains once we condition on G.",
]
SPACES = [" ", "  ", "\t", "\u00a0", "\u3000", "\u001c", "\u2028", "\u0085", ""]
LINE_ENDS = ["\n", "\r\n", "\r", "\n\n"]
EXOTIC = ["\u0301", "\u0308", "\u20dd", "\ufe0f", "\u200d", "\u200c", "\U0001F3FD", "\u0903", "\u0941"]
EMOJI = ["\U0001F44D\U0001F3FD", "\U0001F468\u200d\U0001F469\u200d\U0001F467", "\U0001F1FA\U0001F1F8",
         "\u2764\ufe0f", "\U0001F914"]
ODD = ["\u216b", "\u24e8\u24d4\u24e2", "\u24c3\u24de", "\u017f", "\u037e", "\u1fef", "\u0600", "\uff1a",
       "\u03a3", "\u0130"]
WRAPS = [("**", "**"), ("*", "*"), ("_", "_"), ("`", "`"), ('"', '"'), ("'", "'"), ("\u201c", "\u201d"),
         ("\u2018", "\u2019"), ("(", ")"), ("[", "]"), ("{", "}"), ("", "")]
PUNCT = ["", ".", "!", "?", ",", ";", ":", "...", "?!", "\u037e"]


def _core(rng: random.Random) -> str:
    """An answer word in one of the formats models write."""
    word = rng.choice(WORDS) if rng.random() < 0.85 else rng.choice(DECOYS)
    left, right = rng.choice(WRAPS)
    word = left + word + right + rng.choice(PUNCT)
    form = rng.randrange(12)
    if form == 0:
        return word
    if form == 1:
        return "Answer: " + word
    if form == 2:
        return rng.choice(["Final answer - ", "final answer: ", "FINAL ANSWER:", "Answer :", "answer -",
                           "Answer\uff1a", "Answer:\t"]) + word
    if form == 3:
        return f"<answer>{word}</answer>"
    if form == 4:
        return rng.choice(["<ANSWER>", "<Answer> ", "<answer>\n"]) + word  # unclosed
    if form == 5:
        return f"<answer><answer>{word}</answer></answer>"
    if form == 6:
        other = rng.choice(WORDS)
        return f"<answer>{other}</answer> on reflection <answer>{word}</answer>"
    if form == 7:
        return f"**Answer:** {word}"
    if form == 8:
        return f"The answer is {word}"
    if form == 9:
        return "Answer: " + word.capitalize()
    if form == 10:
        return rng.choice(["Yes", "No"]) + rng.choice(["", "."])
    return word.upper()


def _perturb(rng: random.Random, text: str) -> str:
    """``text`` with a combining mark, an emoji or an odd character put somewhere."""
    kind = rng.randrange(4)
    at = rng.randrange(len(text) + 1)
    if kind == 0:
        piece = rng.choice(EXOTIC)
    elif kind == 1:
        piece = rng.choice(EMOJI)
    elif kind == 2:
        piece = rng.choice(ODD)
    else:
        # After a quote or a letter specifically.
        spots = [i + 1 for i, c in enumerate(text) if c.isalpha() or c in "'\"\u2019*"]
        at = rng.choice(spots) if spots else at
        piece = rng.choice(EXOTIC[:3])
    return text[:at] + piece + text[at:]


def answer(rng: random.Random) -> str:
    """One varied completion."""
    if rng.random() < 0.03:
        return rng.choice(["", " ", "\n", "\t\r\n", "\u3000", "\u001c", "\u00a0\n"])
    if rng.random() < 0.12:
        # A taught format (what --strict rewards), lightly padded.
        taught = rng.choice(["Answer: Yes", "Answer: No"]) if rng.random() < 0.8 else rng.choice(["Yes", "No"])
        head = rng.choice(REASONING) + rng.choice(LINE_ENDS) if taught.startswith("Answer") else ""
        return head + rng.choice(["", " ", "\t"]) + taught + rng.choice(["", "."]) + rng.choice(["", " ", "\n", "\r\n"])
    parts = []
    if rng.random() < 0.4:
        parts.append(rng.choice(REASONING))
    parts.append(_core(rng))
    if rng.random() < 0.15:
        parts.append(rng.choice(["Hope that helps.", "yes", "no", "\U0001F914", "(I am not sure.)"]))
    text = rng.choice(LINE_ENDS).join(parts) if rng.random() < 0.7 else " ".join(parts)
    text = rng.choice(SPACES) + text + rng.choice(SPACES + LINE_ENDS)
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        text = _perturb(rng, text)
    return text


ANSWERS = [answer(random.Random(f"axiomc-rewards-{i}")) for i in range(10_000)]


def _binary_scores(strict: bool) -> dict[str, list[float]]:
    """``axiomc reward [--strict]`` over every answer with gold Yes, then No: one process."""
    lines = [json.dumps({"completion": a, "record": {"label": gold}}) for gold in ("Yes", "No") for a in ANSWERS]
    done = run(["reward"] + (["--strict"] if strict else []), input="\n".join(lines) + "\n")
    scores = [float(x) for x in done.stdout.split()]
    assert len(scores) == 2 * len(ANSWERS)
    return {"Yes": scores[: len(ANSWERS)], "No": scores[len(ANSWERS):]}


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_in_process_scores_equal_the_binary_s(strict: bool) -> None:
    binary = _binary_scores(strict)
    for gold in ("Yes", "No"):
        ours = axiomc.rewards(ANSWERS, [{"label": gold}] * len(ANSWERS), strict=strict)
        wrong = [(a, b, o) for a, b, o in zip(ANSWERS, binary[gold], ours) if b != o]
        assert not wrong, f"{len(wrong)} disagreements (gold {gold}), first: {wrong[:5]}"


def test_the_answers_cover_every_outcome() -> None:
    lenient = collections.Counter(map(extract_answer, ANSWERS))
    strict = collections.Counter(map(strict_answer, ANSWERS))
    assert all(lenient[k] > 1000 for k in ("Yes", "No", None)), lenient
    assert all(strict[k] > 400 for k in ("Yes", "No")), strict
    assert sum(not a.isascii() for a in ANSWERS) > 2000
    assert sum("\r" in a for a in ANSWERS) > 1000
