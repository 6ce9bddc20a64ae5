"""Curricula: a difficulty level per attribute that the caller, or the rewards, move.

A :class:`Curriculum` holds one level (1 easiest … 5 hardest) for each difficulty attribute of
its task or mix (``nodes``, ``density``, ``given_size``, ``distractors``, ``name_length``,
``order``; ``axiomc tasks`` lists each task's and the values a level stands for) and makes
datasets at those levels with :func:`axiomc.create_dataset`. It is moved by hand
(:meth:`Curriculum.set_level`, :meth:`Curriculum.increment`, :meth:`Curriculum.decrement`; also
under reasoning-gym's names) or by the rewards it is shown (:meth:`Curriculum.observe`):

* the rewards since the last change are kept, at most ``window`` of them;
* once ``window`` rewards are in, a mean at or above ``target + margin`` raises one attribute by
  one level, and a mean at or below ``target - margin`` lowers one; in between nothing moves;
* attributes are raised in turn (round robin over those below the top level), so a change in
  accuracy can be put down to one attribute; a fall undoes the most recent raise first;
* every change starts a new window.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from .corpora import tasks as _task_catalog
from .procedural import ProceduralDataset, create_dataset

__all__ = ["Curriculum", "PRESETS", "LEVELS"]

PRESETS = {"easy": 1, "medium": 3, "hard": 5}
LEVELS = range(1, 6)
# axiomc tasks' order of attributes (a mix lists the union in it).
_ORDER = ["nodes", "density", "given_size", "distractors", "name_length", "order"]


def _level(value: int | str) -> int:
    level = PRESETS.get(value, value) if isinstance(value, str) else value
    if not isinstance(level, int) or isinstance(level, bool) or level not in LEVELS:
        raise ValueError(f"a level is easy, medium, hard or 1-5, not {value!r}")
    return level


class Curriculum:
    """Difficulty levels per attribute for a task (or a weighted mix), moved by hand or by rewards.

    Args:
        task: a task name, or ``"mix"`` with ``tasks``.
        tasks: for ``"mix"``, task → weight (as :func:`axiomc.create_dataset`).
        level: the starting level, for every attribute (``"easy"`` … ``"hard"`` or 1–5) or per
            attribute (``{"nodes": 2}``; the rest start at 1).
        attributes: the attributes the curriculum moves, in the order it raises them (default:
            every attribute the tasks have, in ``axiomc tasks``' order); the others stay at
            their starting level.
        target: the accuracy the adaptive rule holds the model at.
        margin: how far the window's mean must pass ``target`` before a level moves.
        window: how many rewards since the last change decide.
        **config: recipe keys passed to every :func:`axiomc.create_dataset` call.
    """

    def __init__(self, task: str = "transitivity", *, tasks: Mapping[str, float] | None = None,
                 level: int | str | Mapping[str, int | str] = 1, attributes: Iterable[str] | None = None,
                 target: float = 0.7, margin: float = 0.1, window: int = 64, **config: Any) -> None:
        if window < 1:
            raise ValueError(f"window must be at least 1, not {window}")
        if not 0.0 <= target <= 1.0 or margin < 0:
            raise ValueError(f"target must be in [0, 1] and margin at least 0, not {target}, {margin}")
        names = list(tasks) if task == "mix" and tasks else [task]
        catalog = {t["name"]: t for t in _task_catalog()}
        unknown = [n for n in names if n not in catalog]
        if unknown:
            raise ValueError(f"no task {unknown[0]!r} (choose from {', '.join(catalog)})")
        known: list[str] = []
        for n in names:
            known += [a for a in catalog[n]["difficulty"]["attributes"] if a not in known]
        known.sort(key=lambda a: _ORDER.index(a) if a in _ORDER else len(_ORDER))
        self.attributes = list(attributes) if attributes is not None else known
        for a in self.attributes:
            if a not in known:
                raise ValueError(f"no difficulty attribute {a!r} for {', '.join(names)} (choose from {', '.join(known)})")
        self.task, self.tasks, self.config = task, dict(tasks) if tasks else None, dict(config)
        self.target, self.margin, self.window = target, margin, window
        self.levels: dict[str, int] = {a: 1 for a in known}
        self.rewards: list[float] = []
        self.history: list[tuple[str, int, int]] = []  # (attribute, old level, new level)
        self._raised: list[str] = []
        self._turn = 0
        self.set_level(level)

    # -- moving by hand ---------------------------------------------------------------------------

    def set_level(self, level: int | str | Mapping[str, int | str] | None = None, **levels: int | str) -> None:
        """Sets every attribute to ``level``, or the named ones (``set_level(nodes=3)``)."""
        if isinstance(level, Mapping):
            levels = {**level, **levels}
        elif level is not None:
            levels = {**{a: level for a in self.levels}, **levels}
        for attribute, value in levels.items():
            if attribute not in self.levels:
                raise ValueError(f"no difficulty attribute {attribute!r} (choose from {', '.join(self.levels)})")
            self.levels[attribute] = _level(value)
        self.rewards.clear()

    def increment(self, attribute: str | None = None) -> bool:
        """Raises ``attribute`` (default: every attribute the curriculum moves) by one level;
        False when nothing could rise."""
        return self._step(attribute, +1)

    def decrement(self, attribute: str | None = None) -> bool:
        """Lowers ``attribute`` (default: every attribute the curriculum moves) by one level;
        False when nothing could fall."""
        return self._step(attribute, -1)

    def _step(self, attribute: str | None, by: int) -> bool:
        names = self.attributes if attribute is None else [attribute]
        moved = False
        for a in names:
            if a not in self.levels:
                raise ValueError(f"no difficulty attribute {a!r} (choose from {', '.join(self.levels)})")
            new = self.levels[a] + by
            if new in LEVELS:
                self.history.append((a, self.levels[a], new))
                self.levels[a] = new
                moved = True
        if moved:
            self.rewards.clear()
        return moved

    # reasoning-gym's curriculum names, for code written against it.
    def set_global_level(self, level: int | str) -> None:
        self.set_level(level)

    def increment_global_level(self) -> bool:
        return self.increment()

    def decrement_global_level(self) -> bool:
        return self.decrement()

    def get_attr_level(self, attribute: str) -> int:
        return self.levels[attribute]

    def set_attr_level(self, attribute: str, level: int | str) -> None:
        self.set_level(**{attribute: level})

    def increment_attr_level(self, attribute: str) -> bool:
        return self.increment(attribute)

    def decrement_attr_level(self, attribute: str) -> bool:
        return self.decrement(attribute)

    # -- moving by rewards ------------------------------------------------------------------------

    def observe(self, rewards: float | Iterable[float]) -> list[tuple[str, int, int]]:
        """Takes rewards (each 0.0–1.0, e.g. :func:`axiomc.score_answer` of items of
        :meth:`dataset`) and applies the adaptive rule after each; returns the changes made, as
        ``(attribute, old level, new level)``."""
        changes: list[tuple[str, int, int]] = []
        for r in [rewards] if isinstance(rewards, (int, float)) else rewards:
            self.rewards.append(float(r))
            if len(self.rewards) < self.window:
                continue
            mean = sum(self.rewards[-self.window:]) / self.window
            if mean >= self.target + self.margin:
                changes += self._raise()
            elif mean <= self.target - self.margin:
                changes += self._lower()
            if len(self.rewards) >= self.window:  # no change: keep the latest window only
                del self.rewards[:-self.window + 1 or None]
        return changes

    def _raise(self) -> list[tuple[str, int, int]]:
        for i in range(len(self.attributes)):
            a = self.attributes[(self._turn + i) % len(self.attributes)]
            if self.levels[a] < LEVELS[-1]:
                self._turn = (self._turn + i + 1) % len(self.attributes)
                self._raised.append(a)
                self.increment(a)
                return [self.history[-1]]
        return []

    def _lower(self) -> list[tuple[str, int, int]]:
        candidates = self._raised[::-1] + [a for a in self.attributes if a not in self._raised]
        for a in candidates:
            if self.levels[a] > LEVELS[0]:
                if a in self._raised:  # forget its most recent raise
                    del self._raised[len(self._raised) - 1 - self._raised[::-1].index(a)]
                self.decrement(a)
                return [self.history[-1]]
        return []

    # -- data -------------------------------------------------------------------------------------

    @property
    def accuracy(self) -> float | None:
        """The mean of the rewards since the last change (None before the first)."""
        return sum(self.rewards) / len(self.rewards) if self.rewards else None

    def dataset(self, size: int = 256, seed: int = 0) -> ProceduralDataset:
        """Items at the current levels (:func:`axiomc.create_dataset`); each item's metadata
        holds the levels it was made at (``metadata["levels"]``)."""
        return create_dataset(self.task, size=size, seed=seed, tasks=self.tasks, level=dict(self.levels),
                              **self.config)

    def __repr__(self) -> str:
        shown = ", ".join(f"{a}={lv}" for a, lv in self.levels.items())
        return f"Curriculum({self.task!r}, {shown})"
