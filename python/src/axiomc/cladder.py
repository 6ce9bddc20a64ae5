"""CLadder's file shape: records of the causal-model tasks as CLadder questions and models.

CLadder (Jin et al., NeurIPS 2023; causalNLP/cladder) ships a JSON list of questions —
``question_id``, ``desc_id``, ``given_info``, ``question``, ``answer`` (``"yes"``/``"no"``),
``meta`` (``query_type``, ``rung``, ``model_id``, ``groundtruth``, ...) and ``reasoning``
(``step0`` ... ``end``) — beside a list of models whose ``background`` states the graph and whose
list index is the questions' ``meta.model_id``. Its loaders build a prompt as ``background``,
then ``given_info``, then ``question``.

:func:`to_cladder` writes a compiled corpus's ``association``, ``intervention`` and
``treated-effect`` records so: the premise's edge sentences become the model's ``background``
(after CLadder's opening), its table rows the question's ``given_info``; ``query_type`` is
CLadder's (``correlation``, ``ate``, ``ett``); ``groundtruth`` is the asked quantity, computed
here from ``graph.tables`` with exact fractions (the association from the joint, the effects by
adjusting for the treatment's parents) and written as a float; ``reasoning`` holds the variables,
the graph and the formal query, then the record's explanation sentence by sentence (when the
corpus has explanations), and ``end`` the sign (``"0.1324 > 0"``, rounded as the explanation
rounds it). :func:`from_cladder_predictions` maps predictions keyed by CLadder's
``question_id`` (or ``desc_id``) back to record ids, for :func:`axiomc.evaluate`.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ._binary import StrPath

__all__ = ["to_cladder", "cladder_records", "from_cladder_predictions", "decimal", "QUERY_TYPES"]

# axiomc task → (CLadder's query_type, rung).
QUERY_TYPES: dict[str, tuple[str, int]] = {
    "association": ("correlation", 1),
    "intervention": ("ate", 2),
    "treated-effect": ("ett", 3),
}
# CLadder's own opening of every background.
OPENING = ("Imagine a self-contained, hypothetical world with only the following conditions, "
           "and without any unmentioned factors or causal relationships: ")
_SENTENCE_END = re.compile(r"(?<=\.) (?=\S)")


def _sentences(text: str) -> list[str]:
    """Sentences of a premise or an explanation: a period then a space ends one (a decimal
    point is followed by a digit, never by a space)."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


class _Model:
    """A record's causal model, exactly: P(node = 1 | parents) in hundredths; the joint in
    integer weights over 100^n, turned into fractions only for a conditional."""

    def __init__(self, nodes: Sequence[str], edges: Sequence[Sequence[int]], tables: Sequence[Sequence[int]]):
        self.n = len(nodes)
        self.parents = [sorted(a for a, b in edges if b == v) for v in range(self.n)]
        self.tables = tables
        self._joint: list[tuple[tuple[int, ...], int]] | None = None

    def joint(self) -> list[tuple[tuple[int, ...], int]]:
        if self._joint is None:
            self._joint = []
            for state in itertools.product((0, 1), repeat=self.n):
                w = 1
                for v in range(self.n):
                    row = 0
                    for u in self.parents[v]:  # the first parent the most significant
                        row = 2 * row + state[u]
                    one = self.tables[v][row]
                    w *= one if state[v] else 100 - one
                self._joint.append((state, w))
        return self._joint

    def probability(self, event: Mapping[int, int], given: Mapping[int, int] = {}) -> Fraction:
        num = den = 0
        for s, w in self.joint():
            if all(s[v] == x for v, x in given.items()):
                den += w
                if all(s[v] == x for v, x in event.items()):
                    num += w
        return Fraction(num, den)

    def quantity(self, task: str, x: int, y: int) -> Fraction:
        """The association, the average effect or the effect on the treated of x on y."""
        if task == "association":
            return self.probability({y: 1}, {x: 1}) - self.probability({y: 1}, {x: 0})
        # x's parents block every backdoor path from x (every variable is observed).
        z = self.parents[x]
        total = Fraction(0)
        for values in itertools.product((0, 1), repeat=len(z)):
            zs = dict(zip(z, values))
            weight = self.probability(zs, {x: 1} if task == "treated-effect" else {})
            total += weight * (self.probability({y: 1}, {x: 1, **zs}) - self.probability({y: 1}, {x: 0, **zs}))
        return total

    def params(self, names: Sequence[str]) -> dict[str, Any]:
        """CLadder's ``params``: ``p(V | P1, P2)`` nested by the parents' values, first parent outermost."""
        out: dict[str, Any] = {}
        for v in range(self.n):
            ps = self.parents[v]
            key = f"p({names[v]})" if not ps else f"p({names[v]} | {', '.join(names[u] for u in ps)})"

            def nest(prefix: int, depth: int) -> Any:
                if depth == len(ps):
                    return self.tables[v][prefix] / 100
                return [nest(2 * prefix + b, depth + 1) for b in (0, 1)]

            out[key] = nest(0, 0)
        return out


def decimal(value: Fraction, places: int = 4) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, as axiomc writes a
    quantity: more places (in pairs, up to 20) where four would show a value that is not 0 as 0."""
    while True:
        q, r = divmod(abs(value.numerator) * 10 ** places, value.denominator)
        if 2 * r >= value.denominator:
            q += 1
        if q or value == 0 or places >= 20:
            break
        places += 2
    digits = str(q).rjust(places + 1, "0")
    text = digits[:-places] + "." + digits[-places:]
    return "-" + text if value < 0 and q else text


def _formal_form(query_type: str, x: str, y: str) -> str:
    return {
        "correlation": f"P({y} | {x})",
        "ate": f"E[{y} | do({x} = 1)] - E[{y} | do({x} = 0)]",
        "ett": f"E[{y}_{{{x} = 1}} - {y}_{{{x} = 0}} | {x} = 1]",
    }[query_type]


def cladder_records(records: Iterable[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """CLadder's questions and models for ``records`` (records of other tasks are skipped).

    Returns:
        ``(questions, models)``: ``questions[i]["meta"]["model_id"]`` indexes ``models``; records
        stating the same model (graph and tables) share one.

    Raises:
        ValueError: a causal-model record lacks ``graph.tables``, or its premise does not open
            with one sentence per edge.
    """
    questions: list[dict[str, Any]] = []
    models: list[dict[str, Any]] = []
    model_ids: dict[str, int] = {}
    exact: dict[str, _Model] = {}
    for r in records:
        task = r.get("axiom") or (r.get("extra_info") or {}).get("axiom")
        if task not in QUERY_TYPES:
            continue
        flat = r if "premise" in r else r["extra_info"]
        graph, query = flat["graph"], flat["query"]
        names, edges, tables = graph["nodes"], graph["edges"], graph.get("tables")
        if not tables:
            raise ValueError(f"record {flat['id']}: a {task} record without graph.tables")
        sentences = _sentences(flat["premise"])
        # The models grammar states the edges first, then the table rows.
        background, given = sentences[:len(edges)], sentences[len(edges):]
        rows = sum(len(t) for t in tables)
        if any("=" in s or "probability" in s for s in background) or len(given) != rows:
            raise ValueError(f"record {flat['id']}: the premise is not its {len(edges)} edge sentence(s) "
                             f"then its {rows} table row(s)")
        key = json.dumps([names, edges, tables])
        model = exact.setdefault(key, _Model(names, edges, tables))
        if key not in model_ids:
            model_ids[key] = len(models)
            structure = structure_of(names, edges)
            mapping: dict[str, str] = {}
            for v in names:
                mapping.update({f"{v}name": v, f"{v}1": f"{v} = 1", f"{v}0": f"{v} = 0"})
            models.append({
                "model_id": len(models),
                "story_id": "axiomc",
                "graph_id": flat["meta"]["family"],
                "background": OPENING + " ".join(background),
                "variable_mapping": mapping,
                "structure": structure,
                "params": model.params(names),
                "nonsense": True,
            })
        x, y = names[query["x"]], names[query["y"]]
        query_type, rung = QUERY_TYPES[task]
        value = model.quantity(task, query["x"], query["y"])
        label = (r.get("label") or flat.get("label") or (r.get("reward_model") or {}).get("ground_truth"))
        if label not in ("Yes", "No"):
            raise ValueError(f"record {flat['id']}: no Yes/No label")
        if (value > 0) != (label == "Yes"):
            raise ValueError(f"record {flat['id']}: the label {label} disagrees with the tables ({value})")
        others = [v for v in names if v not in (x, y)]
        reasoning: dict[str, str] | None = None
        explanation = flat.get("explanation")
        if explanation:
            steps = [f"Let X = {x}; Y = {y}" + "".join(f"; V{k + 1} = {v}" for k, v in enumerate(others)) + ".",
                     structure_of(names, edges), _formal_form(query_type, x, y)] + _sentences(explanation)
            reasoning = {f"step{k}": s for k, s in enumerate(steps)}
            sign = ">" if value > 0 else "<" if value < 0 else "="
            reasoning["end"] = f"{decimal(value)} {sign} 0"
        questions.append({
            "question_id": len(questions) + 1,
            "desc_id": f"axiomc-{flat['meta']['family']}-{query_type}-model{model_ids[key]}-{flat['id']}",
            "given_info": " ".join(given),
            "question": flat["hypothesis"],
            "answer": "yes" if label == "Yes" else "no",
            "meta": {
                "story_id": "axiomc",
                "graph_id": flat["meta"]["family"],
                "treated": True,
                "result": label == "Yes",
                "polarity": True,
                "groundtruth": float(value),
                "query_type": query_type,
                "rung": rung,
                "formal_form": _formal_form(query_type, x, y),
                "treatment": x,
                "outcome": y,
                "model_id": model_ids[key],
                "axiomc_id": flat["id"],
                "axiomc_split": flat["split"],
                "axiomc_task": task,
            },
            "reasoning": reasoning,
        })
    return questions, models


def structure_of(names: Sequence[str], edges: Sequence[Sequence[int]]) -> str:
    """CLadder's ``structure``: ``"X->V2,X->Y"``."""
    return ",".join(f"{names[a]}->{names[b]}" for a, b in edges)


def to_cladder(corpus_dir: StrPath, out_dir: StrPath | None = None) -> dict[str, tuple[Path, Path]]:
    """Writes each split of ``corpus_dir`` holding causal-model records as CLadder's two files.

    Args:
        corpus_dir: a compiled corpus (its ``manifest.json`` and shards), any layout.
        out_dir: where the files go (default ``<corpus_dir>-cladder`` beside the corpus).

    Returns:
        split name → (``cladder-<split>.json``, ``cladder-<split>-meta-models.json``), for the
        splits that hold such records.
    """
    corpus = Path(corpus_dir)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    out = Path(out_dir) if out_dir is not None else corpus.with_name(corpus.name + "-cladder")
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, tuple[Path, Path]] = {}
    for name in manifest.get("splitOrder") or list(manifest["splits"]):
        records: list[dict[str, Any]] = []
        for shard in manifest["splits"][name]["shards"]:
            with open(corpus / shard["file"], encoding="utf-8") as f:
                records += [json.loads(line) for line in f if line.strip()]
        questions, models = cladder_records(records)
        if not questions:
            continue
        paths = (out / f"cladder-{name}.json", out / f"cladder-{name}-meta-models.json")
        paths[0].write_text(json.dumps(questions, indent=1) + "\n", encoding="utf-8")
        paths[1].write_text(json.dumps(models, indent=1) + "\n", encoding="utf-8")
        written[name] = paths
    return written


# Where a CLadder-style prediction keeps the model's output, in order of preference.
_PREDICTION_FIELDS = ("prediction", "pred", "answer", "output", "response")


def from_cladder_predictions(questions: StrPath, predictions: StrPath | Iterable[Mapping[str, Any]]
                             ) -> list[dict[str, str]]:
    """Predictions on an exported CLadder file, as ``{"id", "prediction"}`` for :func:`axiomc.evaluate`.

    Args:
        questions: the ``cladder-<split>.json`` that :func:`to_cladder` wrote (its ``meta.axiomc_id``
            names each question's record).
        predictions: dicts, or a JSON list, a JSONL file or a CSV file (with a header) of them, each
            with ``question_id`` or ``desc_id`` and the model's output under ``prediction``,
            ``pred``, ``answer``, ``output`` or ``response``.

    Raises:
        ValueError: naming the entry (its position, 1-based) whose question is not in the file, that
            names none, or that holds no output.
    """
    with open(questions, encoding="utf-8") as f:
        asked = json.load(f)
    by_question = {str(q["question_id"]): q["meta"]["axiomc_id"] for q in asked}
    by_desc = {q["desc_id"]: q["meta"]["axiomc_id"] for q in asked}
    if isinstance(predictions, (str, os.PathLike)):
        path = os.fspath(predictions)
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        if path.endswith(".csv"):
            rows: list[Mapping[str, Any]] = list(csv.DictReader(io.StringIO(text)))
        elif text.lstrip().startswith("["):
            rows = json.loads(text)
        else:
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    else:
        rows = list(predictions)
    out: list[dict[str, str]] = []
    for n, row in enumerate(rows, start=1):
        if row.get("question_id") not in (None, ""):
            record = by_question.get(str(row["question_id"]))
        elif row.get("desc_id"):
            record = by_desc.get(row["desc_id"])
        else:
            raise ValueError(f"prediction {n}: no question_id or desc_id")
        if record is None:
            key = row.get("question_id") if row.get("question_id") not in (None, "") else row.get("desc_id")
            raise ValueError(f"prediction {n}: question {key!r} is not in {os.fspath(questions)}")
        output = next((row[k] for k in _PREDICTION_FIELDS if row.get(k) is not None), None)
        if output is None:
            raise ValueError(f"prediction {n}: no output (fields: {', '.join(_PREDICTION_FIELDS)})")
        out.append({"id": record, "prediction": str(output)})
    return out
