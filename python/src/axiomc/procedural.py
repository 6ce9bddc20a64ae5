"""Datasets made in memory, in the shape of reasoning-gym's procedural API.

``create_dataset(task, size=, seed=, **config)`` streams records from ``axiomc compile --stdout``
(no corpus directory) and returns items ``{"question", "answer", "metadata"}``, where ``metadata``
is the full record (graph, query, type, cues, explanation, ...); ``score_answer(answer, entry)``
scores a model's answer against an item exactly as ``axiomc eval`` and ``axiomc reward`` do.
"""
from __future__ import annotations

import json
import random
import tempfile
import zlib
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence, Union

from ._binary import run
from .scoring import rewards

__all__ = ["ProceduralDataset", "create_dataset", "score_answer"]

# What a split asks for unless config says otherwise: controlled, twinned, explained questions
# over small branching graphs in varied English (correlation to causation: its own premise).
_DEFAULTS: dict[str, Any] = {
    "family": "branching",
    "branching_factor": 1.4,
    "nodes": [5, 8],
    "explanations": True,
    "prompt": True,
    "twins": "all",
    "queries_per_graph": 2,
}
_STATISTICS_DEFAULTS: dict[str, Any] = {
    "family": "random",
    "edge_probability": 0.5,
    "nodes": [4, 5],
    "explanations": True,
    "prompt": True,
    "queries_per_graph": 1,
}
# Causal models (association, intervention, treated-effect): random graphs with probability
# tables, every question twinned by other tables, explained with the formula and its numbers.
_MODEL_DEFAULTS: dict[str, Any] = {
    "family": "random",
    "edge_probability": 0.5,
    "nodes": [4, 6],
    "explanations": True,
    "prompt": True,
    "twins": "all",
    "queries_per_graph": 2,
}
# The premise style of the tasks that do not state edges: its defaults, grammar and names.
_STYLES: dict[str, tuple[dict[str, Any], str, dict[str, Any]]] = {
    "correlation-to-causation": (_STATISTICS_DEFAULTS, "corr2cause",
                                 {"alphabet": "A-Z", "length": [1, 1], "case_sensitive": True}),
    "intervention": (_MODEL_DEFAULTS, "models", {"alphabet": "A-Z", "length": [1, 2]}),
    "association": (_MODEL_DEFAULTS, "models", {"alphabet": "A-Z", "length": [1, 2]}),
    "treated-effect": (_MODEL_DEFAULTS, "models", {"alphabet": "A-Z", "length": [1, 2]}),
}
# Keys of the recipe itself, not of its split.
_RECIPE_KEYS = ("grammar", "names")
# The split keys each difficulty attribute sets (axiomc tasks): a level replaces these defaults.
_LEVELED_KEYS = {"nodes": ("nodes",), "density": ("family", "branching_factor", "edge_probability"),
                 "given_size": ("given_size",), "distractors": ("distractors",), "order": ("order",)}

Level = Union[int, str, Mapping[str, Union[int, str]]]


class ProceduralDataset(Sequence[dict]):
    """Items ``{"question", "answer", "metadata"}`` of one or more tasks, made from one seed.

    ``question`` is the record's prompt (the premise and question in the grammar's wrapper),
    ``answer`` its gold label (``"Yes"``/``"No"``), ``metadata`` the whole record plus
    ``"source_dataset"`` (the task) and ``"source_index"``.
    """

    def __init__(self, items: list[dict], tasks: Mapping[str, float], seed: int, config: Mapping[str, Any]):
        self._items = items
        self.tasks = dict(tasks)
        self.seed = seed
        self.config = dict(config)

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):  # type: ignore[override]
        return self._items[index]

    def __iter__(self) -> Iterator[dict]:
        return iter(self._items)

    def score_answer(self, answer: str | None, entry: Mapping[str, Any]) -> float:
        """See :func:`score_answer`."""
        return score_answer(answer, entry)


def _recipe(task: str, size: int, seed: int, config: Mapping[str, Any], level: Level | None = None) -> dict[str, Any]:
    defaults, grammar, names = _STYLES.get(task, (_DEFAULTS, "en", {"alphabet": "A-Za-z0-9", "length": [1, 3]}))
    split = dict(defaults)
    if level is not None:
        # The level fills what the split leaves out; the defaults must not fill it first.
        attributes = level if isinstance(level, Mapping) else _LEVELED_KEYS
        for attribute in attributes:
            for key in _LEVELED_KEYS.get(attribute, ()):
                split.pop(key, None)
        split["level"] = dict(level) if isinstance(level, Mapping) else level
    split.update({k: v for k, v in config.items() if k not in _RECIPE_KEYS})
    if split.get("family", "branching") != "branching":
        split.pop("branching_factor", None)
    split.update({"name": "items", "role": "train", "tasks": [task], "count": size})
    return {
        "name": "procedural",
        "seed": seed,
        "grammar": config.get("grammar", grammar),
        "names": config.get("names", names),
        "splits": [split],
    }


def _records(task: str, size: int, seed: int, config: Mapping[str, Any], level: Level | None) -> list[dict]:
    # A recipe is YAML; JSON is YAML, so the dict is written as it is.
    with tempfile.TemporaryDirectory(prefix="axiomc-procedural-") as tmp:
        path = Path(tmp) / "procedural.yaml"
        path.write_text(json.dumps(_recipe(task, size, seed, config, level)))
        done = run(["compile", str(path), "--stdout"])
    return [json.loads(line) for line in done.stdout.splitlines() if line]


def create_dataset(name: str = "transitivity", size: int = 500, seed: int = 0, *,
                   tasks: Mapping[str, float] | None = None, level: Level | None = None,
                   **config: Any) -> ProceduralDataset:
    """A dataset of ``size`` items of task ``name``, or of the weighted mix ``tasks`` when
    ``name == "mix"``, deterministic by ``seed``.

    Args:
        name: a task (transitivity, d-separation, collider, common-cause, mediator,
            markov-blanket, backdoor, frontdoor, correlation-to-causation, intervention,
            association, treated-effect), or
            ``"mix"`` with ``tasks``.
        size: the number of items (even numbers keep every skeleton twin with its pair).
        seed: the seed of the recipe (one seed in, the same items out).
        tasks: for ``"mix"``, task → weight; each task gets ``size`` × its share (rounded, the
            remainder to the heaviest), and the items are interleaved by ``seed``.
        level: the difficulty: ``"easy"``, ``"medium"``, ``"hard"``, a level 1–5, or a level per
            attribute (``{"nodes": 4, "density": 2}``; :func:`axiomc.tasks` lists each task's
            attributes and their values). It sets the split keys it stands for (graph size and
            family, |Z|, distractors, name length, premise order) unless ``config`` sets them;
            every item's ``metadata["meta"]["difficulty"]`` is the level (the mean of a
            per-attribute level, rounded half up) and ``metadata["levels"]`` the level asked.
        **config: recipe keys of the split (``nodes=[7, 9]``, ``family="random"``,
            ``edge_probability=0.3``, ``twins="all"``, ``control="all"``, ``explanations=False``,
            ``given_size=[0, 2]``, ...) and ``grammar=`` / ``names=`` of the recipe; see
            docs/recipes.md. Defaults: skeleton twins, explanations, 5–8-node branching graphs.

    Raises:
        AxiomcError: axiomc refused the recipe (its message names the key).
        ValueError: a size below 1, an unknown mix, weights that are not positive.
    """
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    if name == "mix":
        if not tasks:
            raise ValueError('create_dataset("mix", ...) needs tasks={task: weight, ...}')
        weights = dict(tasks)
    else:
        if tasks:
            raise ValueError(f'tasks= is for create_dataset("mix", ...), not for task {name!r}')
        weights = {name: 1.0}
    if any(not (w > 0) for w in weights.values()):
        raise ValueError(f"task weights must be positive: {weights}")
    total = sum(weights.values())
    counts = {t: int(size * w / total) for t, w in weights.items()}
    heaviest = max(weights, key=lambda t: weights[t])
    counts[heaviest] += size - sum(counts.values())
    items: list[dict] = []
    for task, count in sorted(counts.items()):
        if count == 0:
            continue
        # Each task of a mix draws from a seed of its own name, so adding a task leaves the
        # others' items as they were.
        task_seed = seed ^ zlib.crc32(task.encode()) if name == "mix" else seed
        for index, record in enumerate(_records(task, count, task_seed, config, level)):
            meta = dict(record)
            meta.update({"source_dataset": task, "source_index": index})
            if level is not None:
                meta["levels"] = dict(level) if isinstance(level, Mapping) else level
            items.append({"question": record.get("prompt") or record["premise"] + " " + record["hypothesis"],
                          "answer": record["label"], "metadata": meta})
    if name == "mix":
        random.Random(seed).shuffle(items)
    return ProceduralDataset(items, weights, seed, {**config, "level": level} if level is not None else config)


def score_answer(answer: str | None, entry: Mapping[str, Any]) -> float:
    """1.0 when ``answer``'s final answer is the item's (``entry["answer"]``), else 0.0; read as
    ``axiomc eval`` reads model output (a missing answer scores 0.0)."""
    if answer is None:
        return 0.0
    return rewards([answer], [{"label": entry["answer"]}])[0]
