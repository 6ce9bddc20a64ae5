"""A `verifiers <https://github.com/PrimeIntellect-ai/verifiers>`_ environment of axiomc's tasks.

``load_environment(task, ...)`` returns a ``verifiers.v1.SingleAgentEnv`` (verifiers >= 0.4, the
v1 stack: a *taskset* of typed tasks, each scored by ``@vf.reward`` methods over the rollout's
trace). Its taskset, :data:`TASKSET_ID`, holds :func:`axiomc.create_dataset`'s items of one split:
``train`` (``size`` items from ``seed``) or ``eval`` (``eval_size`` items from a seed of their own,
none asking a question that ``train`` asks). Each task's data is the item: ``prompt`` (the question,
which ends with its answer-format instruction), ``answer`` (``"Yes"``/``"No"``), ``source_dataset``
(the task) and ``info`` (the whole record). The reward ``correct`` reads the model's last reply in
process, as ``axiomc eval`` reads answers (:func:`axiomc.extract_answer`), or only in the taught
formats with ``strict=True`` (:func:`axiomc.strict_answer`); the metrics ``answered`` and
``strict_format`` say whether an answer was read at all, and whether in a taught format.

The module imports without verifiers (``import axiomc`` never loads it); ``load_environment`` and
the classes (``AxiomcTaskset``, ``AxiomcTask``, ``AxiomcData``, ``AxiomcTaskConfig``,
``AxiomcTasksetConfig``, made on first use) need ``pip install verifiers`` (``axiomc[verifiers]``).
verifiers finds a taskset by id, as a top-level module exporting its ``Taskset`` in ``__all__``;
``load_environment`` registers this module under the top-level name ``axiomc_environments`` (id
``axiomc-environments``) in the running process.
"""
import functools
import json
import sys
import zlib
from types import SimpleNamespace
from typing import Any, Dict, List, Mapping, Optional, Union

from .procedural import Level, create_dataset
from .scoring import extract_answer, strict_answer

__all__ = [
    "TASKSET_ID",
    "load_environment",
    "items",
    "eval_seed",
    "AxiomcData",
    "AxiomcTaskConfig",
    "AxiomcTask",
    "AxiomcTasksetConfig",
    "AxiomcTaskset",
]

TASKSET_ID = "axiomc-environments"
"""The taskset's verifiers id (``--env.taskset.id``); verifiers imports it as ``axiomc_environments``."""
_MODULE_ALIAS = "axiomc_environments"
_CLASSES = ("AxiomcData", "AxiomcTaskConfig", "AxiomcTask", "AxiomcTasksetConfig", "AxiomcTaskset")
# Mixed into the seed of the eval split, so that no train seed draws another run's eval items.
_EVAL_SALT = zlib.crc32(b"axiomc-eval")
# Eval items asking a train question are dropped and more drawn, up to this many times eval_size.
_MAX_DRAW = 16


def eval_seed(seed: int) -> int:
    """The seed the eval split draws from: ``seed`` mixed with a constant (not ``seed + 1``, so one
    run's eval split is no other seed's train split)."""
    return seed ^ _EVAL_SALT


def items(split: str = "train", task: str = "transitivity", *, tasks: Optional[Mapping[str, float]] = None,
          level: Optional[Level] = None, size: int = 1000, eval_size: int = 200, seed: int = 0,
          **config: Any) -> List[dict]:
    """The items of the environment's ``split`` (no verifiers needed).

    ``train``: ``create_dataset(task, size, seed, ...)``. ``eval``: ``eval_size`` items drawn from
    :func:`eval_seed` with every item whose question a train item asks left out (more are drawn
    until there are enough).

    Raises:
        ValueError: an unknown split, or a task space too small to give ``eval_size`` items that
            train does not ask.
    """
    kwargs: Dict[str, Any] = dict(config, tasks=tasks, level=level)
    if split == "train":
        return list(create_dataset(task, size, seed, **kwargs))
    if split != "eval":
        raise ValueError(f"split must be 'train' or 'eval', not {split!r}")
    asked = {item["question"] for item in create_dataset(task, size, seed, **kwargs)}
    draw = eval_size
    while True:
        drawn = create_dataset(task, draw, eval_seed(seed), **kwargs)
        kept = [item for item in drawn if item["question"] not in asked]
        if len(kept) >= eval_size:
            return kept[:eval_size]
        if draw >= _MAX_DRAW * eval_size:
            raise ValueError(f"only {len(kept)} of {draw} eval items ask a question the {size} train items do not;"
                             f" the task space is too small for eval_size={eval_size}")
        draw = min(_MAX_DRAW * eval_size, draw * 2)


def _score(text: str, answer: str, strict: bool) -> float:
    read = strict_answer if strict else extract_answer
    return 1.0 if read(text) == answer else 0.0


def _verifiers(module: str = "axiomc.environments"):
    """``verifiers.v1``, or an ImportError saying that ``module`` needs it."""
    try:
        import verifiers.v1 as vf
    except ImportError as error:
        raise ImportError(f"{module} needs verifiers >= 0.4 (its v1 stack): "
                          "pip install verifiers (or axiomc[verifiers])") from error
    return vf


@functools.lru_cache(maxsize=None)
def _classes() -> SimpleNamespace:
    """The verifiers classes, made once verifiers is imported (annotations are objects here:
    verifiers resolves hooks' parameters by their annotations)."""
    vf = _verifiers()
    from verifiers.v1.task import task_key

    class AxiomcData(vf.TaskData):
        """One item: ``prompt`` is its question, ``answer`` its gold label."""

        answer: str
        """The gold label, ``"Yes"`` or ``"No"``."""
        source_dataset: str
        """The axiomc task the item is of (``transitivity``, ``d-separation``, ...)."""
        info: Dict[str, Any] = {}
        """The whole record (graph, query, ``meta``, explanation, ...), as ``create_dataset``'s ``metadata``."""

    class AxiomcTaskConfig(vf.TaskConfig):
        """How a reply is scored (``--env.taskset.task.strict``)."""

        strict: bool = False
        """1.0 only for a taught format (``Answer: Yes``, or the bare answer), as ``axiomc reward --strict``."""

    class AxiomcTask(vf.Task[AxiomcData, vf.State, AxiomcTaskConfig]):
        """One question, answered in one turn, scored in process as ``axiomc eval`` scores it."""

        @property
        def key(self) -> str:
            # The content without the position verifiers sets on iteration.
            return task_key(self.data.model_dump(mode="json", exclude_none=True, exclude={"idx"}))

        @vf.stop
        async def single_turn(self, trace: vf.Trace) -> bool:
            return trace.num_turns >= 1

        @vf.reward(weight=1.0)
        async def correct(self, trace: vf.Trace) -> float:
            return _score(trace.last_reply, self.data.answer, self.config.strict)

        @vf.metric
        async def format(self, trace: vf.Trace) -> Dict[str, float]:
            reply = trace.last_reply
            return {"answered": float(extract_answer(reply) is not None),
                    "strict_format": float(strict_answer(reply) is not None)}

    class AxiomcTasksetConfig(vf.TasksetConfig):
        """``create_dataset``'s arguments and the split (``--env.taskset.*``)."""

        id: str = TASKSET_ID
        task_name: str = "transitivity"
        """A task, or ``"mix"`` with ``tasks``."""
        tasks: Optional[Dict[str, float]] = None
        level: Optional[Union[int, str, Dict[str, Union[int, str]]]] = None
        size: int = 1000
        eval_size: int = 200
        seed: int = 0
        split: str = "train"
        """``train`` or ``eval``."""
        system_message: Optional[str] = None
        """A system prompt for every task (the question already ends with its answer format)."""
        recipe: Dict[str, Any] = {}
        """``create_dataset``'s other keyword arguments: split keys of a recipe, ``grammar``, ``names``."""
        task: AxiomcTaskConfig = AxiomcTaskConfig()

    class AxiomcTaskset(vf.Taskset[AxiomcTask, AxiomcTasksetConfig]):
        """The items of one split of ``create_dataset``, as tasks."""

        def load(self) -> List[AxiomcTask]:
            c = self.config
            rows = items(c.split, c.task_name, tasks=c.tasks, level=c.level, size=c.size,
                         eval_size=c.eval_size, seed=c.seed, **c.recipe)
            return [AxiomcTask(AxiomcData(id=f"{c.split}-{i:06d}", prompt=row["question"], answer=row["answer"],
                                          source_dataset=row["metadata"]["source_dataset"],
                                          info=row["metadata"], system_prompt=c.system_message), c.task)
                    for i, row in enumerate(rows)]

    for cls in (AxiomcData, AxiomcTaskConfig, AxiomcTask, AxiomcTasksetConfig, AxiomcTaskset):
        cls.__module__ = __name__
        cls.__qualname__ = cls.__name__
    return SimpleNamespace(AxiomcData=AxiomcData, AxiomcTaskConfig=AxiomcTaskConfig, AxiomcTask=AxiomcTask,
                           AxiomcTasksetConfig=AxiomcTasksetConfig, AxiomcTaskset=AxiomcTaskset)


def __getattr__(name: str) -> Any:
    if name in _CLASSES:
        return getattr(_classes(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _register() -> None:
    """Make the taskset id importable in this process (verifiers imports ids as top-level modules)."""
    sys.modules.setdefault(_MODULE_ALIAS, sys.modules[__name__])


def load_environment(task: str = "transitivity", *, tasks: Optional[Mapping[str, float]] = None,
                     level: Optional[Level] = None, size: int = 1000, eval_size: int = 200, seed: int = 0,
                     strict: bool = False, system_prompt: Optional[str] = None, split: str = "train",
                     **config: Any):
    """A ``verifiers.v1.SingleAgentEnv`` over one split of axiomc's items.

    Args:
        task, tasks, level, seed, **config: as :func:`axiomc.create_dataset` (``task="mix"`` with
            ``tasks={task: weight}``; ``level="easy"|"medium"|"hard"|1-5|{attribute: level}``;
            ``config``: split keys of a recipe such as ``nodes=[7, 9]``, and ``grammar=``/``names=``).
        size: the train split's items.
        eval_size: the eval split's items, drawn from :func:`eval_seed` (``seed``), none asking a
            question that the train split asks.
        strict: score only the taught formats (``axiomc reward --strict``); else as ``axiomc eval``.
        system_prompt: a system prompt for every task (default none).
        split: ``"train"`` or ``"eval"``: the items the env's taskset holds.

    The agent's harness is verifiers' ``null`` harness (a plain chat loop, no tools); the rest of
    the run (model, runtime, sampling) is verifiers' to set.

    Raises:
        ImportError: verifiers (>= 0.4) is not installed.
        ValueError: an unknown split.
    """
    vf = _verifiers()
    if split not in ("train", "eval"):
        raise ValueError(f"split must be 'train' or 'eval', not {split!r}")
    classes = _classes()
    _register()
    taskset = classes.AxiomcTasksetConfig(
        task_name=task, tasks=dict(tasks) if tasks else None,
        level=dict(level) if isinstance(level, Mapping) else level, size=size, eval_size=eval_size, seed=seed,
        split=split, system_message=system_prompt, recipe=json.loads(json.dumps(config)),
        task=classes.AxiomcTaskConfig(strict=strict))
    env_config = vf.SingleAgentEnvConfig(taskset=taskset, agent=vf.AgentConfig(harness={"id": "null"}))
    return vf.SingleAgentEnv(env_config)
