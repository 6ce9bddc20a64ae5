"""A multi-turn `verifiers <https://github.com/PrimeIntellect-ai/verifiers>`_ environment of axiomc's
experiment-then-exploit episodes (:mod:`axiomc.episodes`).

``load_episode_environment(level, ...)`` returns an :class:`AxiomcEpisodeEnv`, a ``verifiers.v1.Env``
(verifiers >= 0.4, the v1 stack). Its taskset, :data:`TASKSET_ID`, holds one split of episodes:
``train`` (``size`` episodes whose seeds are drawn from ``seed``) or ``eval`` (``eval_size`` episodes
whose seeds are drawn from :func:`axiomc.environments.eval_seed` (``seed``), none a train seed).
Each task's data is the episode: ``prompt`` (the rules and the system untouched), ``info`` (the whole
record of :func:`axiomc.episodes.sample`), ``seed`` (the episode's) and ``id`` (``train-000000``).

verifiers v1 plays a multi-turn exchange as an ``Env.run(task, agents)`` that holds the agent's
rollout open with ``agents.agent.interaction(task)`` and answers each model turn with
``interaction.turn(message)`` (verifiers' own ``user-sim`` env relays two agents this way). Here the
other side is the episode: each rollout gets an :class:`axiomc.episodes.EpisodeEnv` of its own, reset
on the task's record; the model's first turn answers the prompt, each reply is passed to
``EpisodeEnv.step``, and its ``Result: ...`` line is the next user message, until the episode ends
(an answer, an invalid turn, or an experiment over the budget) or the run does (``max_turns``, a
``@stop``). The rollout is then closed and scored by the task: the reward ``episode_reward`` replays
the trace's model turns through a fresh ``EpisodeEnv`` (so a stored trace rescores offline) and is
the normalized reward of the answer, 0.0 when the episode did not end on a valid answer. Metrics:
``experiments`` (experiments run), ``valid`` (1.0 unless a turn was invalid), ``answered`` (ended on
a valid answer) and ``success`` (reward 1). A ``@stop`` (``episode_over``) refuses any model call
after the episode has ended.

The module imports without verifiers (``import axiomc`` never loads it); the classes
(``AxiomcEpisodeData``, ``AxiomcEpisodeTask``, ``AxiomcEpisodeTasksetConfig``,
``AxiomcEpisodeTaskset``, ``AxiomcEpisodeEnvConfig``, ``AxiomcEpisodeEnv``, made on first use) need
``pip install verifiers``. verifiers finds a taskset, and the ``Env`` it runs under, by id as a
top-level module exporting them in ``__all__``; ``load_episode_environment`` registers this module as
``axiomc_episode_environment`` (id ``axiomc-episode-environment``) in the running process.
"""
from __future__ import annotations

import functools
import random
import sys
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from types import SimpleNamespace
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence

from . import environments
from .environments import eval_seed
from .episodes import SEEDS, EpisodeEnv, _level, sample

__all__ = [
    "TASKSET_ID",
    "load_episode_environment",
    "episode_seeds",
    "episodes",
    "play",
    "AxiomcEpisodeData",
    "AxiomcEpisodeTaskConfig",
    "AxiomcEpisodeTask",
    "AxiomcEpisodeTasksetConfig",
    "AxiomcEpisodeTaskset",
    "AxiomcEpisodeEnvConfig",
    "AxiomcEpisodeEnv",
]

TASKSET_ID = "axiomc-episode-environment"
"""The taskset's verifiers id; verifiers imports it as ``axiomc_episode_environment``."""
_MODULE_ALIAS = "axiomc_episode_environment"
_CLASSES = ("AxiomcEpisodeData", "AxiomcEpisodeTaskConfig", "AxiomcEpisodeTask", "AxiomcEpisodeTasksetConfig",
            "AxiomcEpisodeTaskset", "AxiomcEpisodeEnvConfig", "AxiomcEpisodeEnv")
_BATCH = 64  # episodes sampled at once (the binary runs once per episode, in threads)


def episode_seeds(split: str = "train", *, size: int = 1000, eval_size: int = 200, seed: int = 0) -> List[int]:
    """The episode seeds of a split (no binary, no verifiers): ``train`` is the first ``size``
    distinct seeds drawn by ``random.Random(seed)`` (so a larger ``size`` extends a smaller one);
    ``eval`` the first ``eval_size`` distinct seeds drawn by ``random.Random(eval_seed(seed))`` that
    are no train seed.

    Raises:
        ValueError: an unknown split, or a negative size.
    """
    if split not in ("train", "eval"):
        raise ValueError(f"split must be 'train' or 'eval', not {split!r}")
    if size < 0 or eval_size < 0:
        raise ValueError("size and eval_size must be >= 0")
    train = _draw(seed, size, frozenset())
    return train if split == "train" else _draw(eval_seed(seed), eval_size, frozenset(train))


def _draw(seed: int, n: int, excluded: frozenset) -> List[int]:
    rng = random.Random(seed)
    out: List[int] = []
    seen = set(excluded)
    while len(out) < n:
        s = rng.randrange(SEEDS)
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def episodes(split: str = "train", level: Optional[Mapping[str, Any]] = None, *, size: int = 1000,
             eval_size: int = 200, seed: int = 0) -> Iterator[Dict[str, Any]]:
    """The records of a split's episodes (:func:`axiomc.episodes.sample` of each of
    :func:`episode_seeds`, at ``level``), in order; no verifiers needed."""
    kwargs = _level(level)
    seeds = episode_seeds(split, size=size, eval_size=eval_size, seed=seed)
    with ThreadPoolExecutor(max_workers=min(_BATCH, 8)) as pool:
        for start in range(0, len(seeds), _BATCH):
            yield from pool.map(lambda s: sample(s, **kwargs), seeds[start:start + _BATCH])


def play(record: Mapping[str, Any], turns: Sequence[str]) -> Dict[str, Any]:
    """The outcome of the model's ``turns`` in the episode of ``record``: each turn stepped through
    a fresh :class:`axiomc.episodes.EpisodeEnv` until the episode ends (later turns are not read).

    Returns ``reward`` (float; 0.0 unless the episode ended on a valid answer), ``reward_exact``
    (a Fraction), ``done``, ``experiments``, ``valid`` (no turn was invalid), ``answered``,
    ``turns`` (turns read), ``error`` (the binary's words, or None) and ``observations`` (the
    env's reply to each turn read: ``Result: ...`` lines, ``""`` for the last).
    """
    env = EpisodeEnv()
    env.reset(record=record)
    out: Dict[str, Any] = {"reward": 0.0, "reward_exact": Fraction(0), "done": False, "experiments": 0,
                           "valid": True, "answered": False, "turns": 0, "error": None, "observations": []}
    for turn in turns:
        observation, reward, done, info = env.step(turn)
        out["turns"] += 1
        out["observations"].append(observation)
        out["experiments"] = env.experiments
        if done:
            out.update(done=True, reward=reward, reward_exact=info["reward_exact"], error=info.get("error"),
                       valid="error" not in info, answered="error" not in info)
            break
    return out


def _verifiers():
    return environments._verifiers("axiomc.episode_environment")


@functools.lru_cache(maxsize=None)
def _classes() -> SimpleNamespace:
    """The verifiers classes, made once verifiers is imported (this module's annotations are
    strings, ``from __future__ import annotations``: verifiers matches hook parameters by name)."""
    vf = _verifiers()
    from verifiers.v1.task import task_key
    from verifiers.v1.types import content_text

    def turns(trace: vf.Trace) -> List[str]:
        """The model's turns, in order (what the env stepped, one reply per segment)."""
        return [content_text(message.content) for message in trace.assistant_messages]

    class AxiomcEpisodeData(vf.TaskData):
        """One episode: ``prompt`` is its opening observation, ``info`` its record."""

        seed: int
        """The episode's seed (``axiomc episodes sample --seed``)."""
        info: Dict[str, Any] = {}
        """The whole record (hidden model, every experiment's result, every answer's value, the
        expert's play): what the environment serves and scores from, never shown to the model."""

    class AxiomcEpisodeTaskConfig(vf.TaskConfig):
        """The episode tasks' config (``--env.taskset.task.*``): verifiers' own fields only."""

    class AxiomcEpisodeTask(vf.Task[AxiomcEpisodeData, vf.State, AxiomcEpisodeTaskConfig]):
        """One episode, played over several turns, scored by replaying the model's turns."""

        @property
        def key(self) -> str:
            # The content without the position verifiers sets on iteration.
            return task_key(self.data.model_dump(mode="json", exclude_none=True, exclude={"idx"}))

        def outcome(self, trace: vf.Trace) -> Dict[str, Any]:
            """:func:`play` of the trace's model turns in this task's episode."""
            return play(self.data.info, turns(trace))

        @vf.stop
        async def episode_over(self, trace: vf.Trace) -> bool:
            return bool(self.outcome(trace)["done"])

        @vf.reward(weight=1.0)
        async def episode_reward(self, trace: vf.Trace) -> float:
            return float(self.outcome(trace)["reward"])

        @vf.metric
        async def episode(self, trace: vf.Trace) -> Dict[str, float]:
            o = self.outcome(trace)
            return {"experiments": float(o["experiments"]), "valid": float(o["valid"]),
                    "answered": float(o["answered"]), "success": float(o["reward"] == 1.0)}

    class AxiomcEpisodeTasksetConfig(vf.TasksetConfig):
        """The split and the level (``--env.taskset.*``)."""

        id: str = TASKSET_ID
        level: Dict[str, Any] = {}
        """:func:`axiomc.episodes.sample`'s keywords: ``nodes``, ``noise``, ``trials``, ``low``,
        ``high``, ``branching_factor`` (``settings: [low, high]`` also reads)."""
        size: int = 1000
        eval_size: int = 200
        seed: int = 0
        split: str = "train"
        """``train`` or ``eval``."""
        system_message: Optional[str] = None
        """A system prompt for every task (the prompt already states the rules)."""
        task: AxiomcEpisodeTaskConfig = AxiomcEpisodeTaskConfig()

    class AxiomcEpisodeTaskset(vf.Taskset[AxiomcEpisodeTask, AxiomcEpisodeTasksetConfig]):
        """The episodes of one split, as tasks (sampled lazily, in order)."""

        def load(self) -> Iterator[AxiomcEpisodeTask]:
            c = self.config
            records = episodes(c.split, c.level, size=c.size, eval_size=c.eval_size, seed=c.seed)
            for i, record in enumerate(records):
                yield AxiomcEpisodeTask(AxiomcEpisodeData(id=f"{c.split}-{i:06d}", prompt=record["prompt"],
                                                          seed=int(record["seed"]), info=record,
                                                          system_prompt=c.system_message), c.task)

    class AxiomcEpisodeEnvConfig(vf.EnvConfig):
        """The env's one seat, ``agent`` (``--env.agent.*``): verifiers' tool-less ``null`` chat
        loop by default; ``max_turns`` caps the model's turns (an episode takes at most
        ``budget + 1``)."""

        agent: vf.AgentConfig = vf.AgentConfig(harness={"id": "null"})

    class AxiomcEpisodeEnv(vf.Env[AxiomcEpisodeEnvConfig]):
        """Plays each task's episode against the ``agent`` seat, the episode answering each turn."""

        async def run(self, task: AxiomcEpisodeTask, agents: vf.Agents) -> None:
            game = EpisodeEnv()  # this rollout's own
            game.reset(record=task.data.info)
            async with agents.agent.interaction(task) as chat:
                segment = await chat.turn()  # the prompt speaks first
                while not segment.terminated:
                    replies = [m for m in segment.messages if isinstance(m, vf.AssistantMessage)]
                    reply = content_text(replies[-1].content) if replies else ""
                    observation, _, done, _ = game.step(reply)
                    if done:
                        break
                    segment = await chat.turn(observation)

    classes = (AxiomcEpisodeData, AxiomcEpisodeTaskConfig, AxiomcEpisodeTask, AxiomcEpisodeTasksetConfig,
               AxiomcEpisodeTaskset, AxiomcEpisodeEnvConfig, AxiomcEpisodeEnv)
    for cls in classes:
        cls.__module__ = __name__
        cls.__qualname__ = cls.__name__
    return SimpleNamespace(**{cls.__name__: cls for cls in classes})


def __getattr__(name: str) -> Any:
    if name in _CLASSES:
        return getattr(_classes(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _register() -> None:
    """Make the taskset id importable in this process (verifiers imports ids as top-level modules)."""
    sys.modules.setdefault(_MODULE_ALIAS, sys.modules[__name__])


def load_episode_environment(level: Optional[Mapping[str, Any]] = None, *, size: int = 1000, eval_size: int = 200,
                             seed: int = 0, split: str = "train", system_prompt: Optional[str] = None,
                             max_turns: Optional[int] = None, **level_keys: Any):
    """An :class:`AxiomcEpisodeEnv` (a ``verifiers.v1.Env``) over one split of episodes.

    Args:
        level, level_keys: the episodes' level, :func:`axiomc.episodes.sample`'s keywords
            (``nodes``, ``noise``, ``trials``, ``low``, ``high``, ``branching_factor``, or
            ``settings=[low, high]``); keywords override the mapping. Default: 5 variables, no noise.
        size: the train split's episodes, seeds drawn from ``seed``.
        eval_size: the eval split's episodes, seeds drawn from ``eval_seed(seed)``, none a train seed.
        split: ``"train"`` or ``"eval"``.
        system_prompt: a system prompt for every task (default none).
        max_turns: the agent's cap on model turns (default none: the episode ends itself, after at
            most ``budget + 1`` turns); an episode cut off before its answer scores 0.

    The agent's harness is verifiers' ``null`` (a plain chat loop, no tools); the rest of the run
    (model, runtime, sampling) is verifiers' to set.

    Raises:
        ImportError: verifiers (>= 0.4) is not installed.
        ValueError: an unknown split or level key.
    """
    vf = _verifiers()
    if split not in ("train", "eval"):
        raise ValueError(f"split must be 'train' or 'eval', not {split!r}")
    merged = _level(dict(level or {}, **level_keys))
    classes = _classes()
    _register()
    taskset = classes.AxiomcEpisodeTasksetConfig(level=merged, size=size, eval_size=eval_size, seed=seed,
                                                 split=split, system_message=system_prompt)
    agent = vf.AgentConfig(harness={"id": "null"}, max_turns=max_turns)
    return classes.AxiomcEpisodeEnv(classes.AxiomcEpisodeEnvConfig(taskset=taskset, agent=agent))
