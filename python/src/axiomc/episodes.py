"""Experiment-then-exploit episodes as an environment: run experiments on a hidden causal system,
then answer with the setting that makes its goal largest.

An episode (``axiomc episodes sample``; ``docs/episodes.md``) hides a linear system of whole
numbers: each variable is a constant of its own plus a weighted sum of its direct causes (plus
noise on noisy levels, each observation then being a mean over runs). The agent first sees the
rules and the system untouched (the record's ``prompt``); each turn either runs an experiment
(``"Experiment k: set X to v."``: one variable set to a value of the settings; the reply is
every variable's value, the record's ``results``) or answers (``"Answer: set X to v."``: a
variable other than the goal), at most ``budget`` experiments first. The answer earns
``(values[answer] - worst) / (best - worst)``: 1 for the best admissible answer, 0 for the worst.

- :func:`sample`: one episode's record (``axiomc episodes sample``).
- :class:`EpisodeEnv`: ``reset(seed=, level=, record=)`` → ``(observation, info)``,
  ``step(action)`` → ``(observation, reward, done, info)``; actions are read as the binary reads
  them (``axiomc episodes score``), an invalid one ends the episode with reward 0 and
  ``info["error"]`` in the binary's words.
- :func:`expert_policy`: the corpus's expert, from the observation texts alone (exact fractions):
  its turns are the record's assistant messages byte for byte. :func:`random_policy`: ``budget``
  random experiments, then a random admissible answer. :func:`run_episode` plays one episode.
- ``GymEpisodeEnv``: the environment as a ``gymnasium.Env`` (Text spaces, 5-tuple ``step``), made
  on first use (``pip install gymnasium``; ``import axiomc`` never imports gymnasium) and then
  registered as ``axiomc/Episode-v0``; :func:`make_gym_env` is ``gymnasium.make`` of it.
- :func:`score`: ``axiomc episodes score --json`` of transcripts against a compiled corpus.
"""
from __future__ import annotations

import functools
import json
import os
import random
import re
import tempfile
from fractions import Fraction
from types import SimpleNamespace
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ._binary import StrPath, run
from ._unicode import WHITESPACE

__all__ = [
    "GYM_ID",
    "EpisodeEnv",
    "GymEpisodeEnv",
    "Policy",
    "expert_policy",
    "make_gym_env",
    "number",
    "parse_action",
    "random_policy",
    "run_episode",
    "sample",
    "score",
]

GYM_ID = "axiomc/Episode-v0"
"""The id ``GymEpisodeEnv`` is registered under in gymnasium (``gymnasium.make(GYM_ID)``)."""
SEEDS = 10 ** 15
"""Episode seeds are 0 ... SEEDS - 1 (the binary's range)."""
_LEVEL_KEYS = ("nodes", "noise", "trials", "low", "high", "branching_factor", "goal")
_INT64 = 2 ** 63
# Swift's Character.isNewline: what ends an answer's line in the binary.
_NEWLINE = re.compile("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
_PAIR = re.compile(r"^(.+?) = (-?[0-9]+(?:[./][0-9]+)?)$", re.ASCII)

Action = Tuple[str, int]
"""A variable's name (as the episode spells it) and the value it is set to."""
History = Sequence[str]
"""The turns so far: the prompt, then each action and the reply to it."""
Policy = Callable[[Any], str]
"""A policy maps an :class:`EpisodeEnv` (or the turns so far, a list of texts) to its next turn."""


def sample(seed: int, *, nodes: int = 5, noise: int = 0, trials: Optional[int] = None, low: int = 0,
           high: int = 5, branching_factor: float = 1.2, goal: str = "any") -> Dict[str, Any]:
    """The record of one episode drawn from ``seed`` at a level (``axiomc episodes sample``).

    Args:
        seed: the episode's seed, 0 ... 10^15 - 1; one seed and level give the same episode.
        nodes: variables of the hidden system (3-12).
        noise: each mechanism adds a whole number from ``-noise`` to ``noise`` per run (0: exact).
        trials: runs averaged per observation on a noisy level (the binary's default: 4).
        low, high: the settings, the values an action may set.
        branching_factor: edges per variable of the hidden graph.
        goal: where the goal sits in the hidden graph: ``any``, ``sink`` (it causes nothing) or
            ``inner`` (it causes other variables).

    Returns the record: ``prompt``, ``messages`` and ``text`` (the expert's play), ``variables``,
    ``goal``, ``budget``, ``level`` (``settings``: ``[low, high]``), ``results`` (the reply to
    every experiment), ``values`` (the goal's noise-free value under every admissible answer),
    ``best``, ``worst``, ``answer``, ``hidden`` (``edges`` ``[from, to, weight]``, ``constants``),
    the expert's and baselines' rewards as exact strings, ...

    Raises:
        AxiomcError: a level the binary refuses (trials on a noise-free level, ``low >= high``, ...).
    """
    args = ["episodes", "sample", f"--seed={int(seed)}", f"--nodes={int(nodes)}", f"--noise={int(noise)}",
            f"--low={int(low)}", f"--high={int(high)}", f"--branching-factor={branching_factor}",
            f"--goal={goal}"]
    if trials is not None:
        args.append(f"--trials={int(trials)}")
    record: Dict[str, Any] = json.loads(run(args).stdout)
    return record


def number(value: Fraction) -> str:
    """A number as the episodes' text writes it: a whole number (``"12"``), an exact decimal with
    the fewest places when the denominator's only prime factors are 2 and 5 (``"-2.25"``), else a
    reduced fraction (``"-7/3"``)."""
    value = Fraction(value)
    n, d = value.numerator, value.denominator
    if d == 1:
        return str(n)
    twos = fives = 0
    rest = d
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return f"{n}/{d}"
    places = max(twos, fives)
    digits = str(abs(n) * 10 ** places // d).rjust(places + 1, "0")
    return ("-" if n < 0 else "") + digits[:-places] + "." + digits[-places:]


def _trim(text: str) -> str:
    # Unicode's White_Space property: Swift's Character.isWhitespace, which the binary trims.
    return text.strip(WHITESPACE)


def _list(names: Sequence[str]) -> str:
    """``"A, B and C"``."""
    return "".join(names) if len(names) <= 1 else ", ".join(names[:-1]) + " and " + names[-1]


class _Invalid(ValueError):
    """An action the binary would not read or accept; the message is its own."""


def parse_action(turn: str, variables: Sequence[str]) -> Tuple[str, Action]:
    """Reads one turn as ``axiomc episodes score`` does: ``("answer" | "experiment", (name, value))``.

    The last ``answer:`` in the turn (in any case) starts an answer, read to the end of its line (an
    explanation may come first, a ``Graph:`` line after);
    otherwise an optional ``Experiment k:`` prefix, then ``set X to v``, ``do(X = v)`` or ``X = v``
    is an experiment; a final period is optional and names are read in any case.

    Raises:
        ValueError: no action, an unknown variable or a value that is no whole number (the
            binary's message).
    """
    text = _trim(turn)
    lower = text.translate(_ASCII_LOWER)
    at = lower.rfind("answer:")
    if at >= 0:
        # The rest of that line (a "Graph:" line may follow).
        return "answer", _read_action(_NEWLINE.split(text[at + len("answer:"):], 1)[0], variables)
    body = text
    if lower.startswith("experiment") and ":" in body:
        body = body[body.index(":") + 1:]
    return "experiment", _read_action(body, variables)


def _read_action(raw: str, variables: Sequence[str]) -> Action:
    s = _trim(raw)
    if s.endswith("."):
        s = _trim(s[:-1])
    lower = s.translate(_ASCII_LOWER)
    to = lower.find(" to ")
    if lower.startswith("set ") and to >= 0:
        name, value = s[4:to], s[to + 4:]
    elif "=" in s:
        eq = s.index("=")
        name, value = s[:eq], s[eq + 1:]
        if name.translate(_ASCII_LOWER).startswith("do(") and value.endswith(")"):
            name, value = name[3:], value[:-1]
    else:
        raise _Invalid(f"'{_trim(raw)}' is no action: write \"set X to v\"")
    name = _trim(name)
    found = [v for v in variables if v.lower() == name.lower()]
    if not found:
        raise _Invalid(f"'{name}' is not a variable of this system ({_list(list(variables))})")
    value = _trim(value)
    if not _WHOLE.fullmatch(value) or not -_INT64 <= int(value) < _INT64:
        raise _Invalid(f"'{value}' is not a whole number")
    return found[0], int(value)


def _reward(record: Mapping[str, Any], key: str) -> Fraction:
    best, worst = int(record["best"]), int(record["worst"])
    return Fraction(int(record["values"][key]) - worst, best - worst)


class EpisodeEnv:
    """Episodes one at a time: ``reset`` draws (or takes) an episode, ``step`` plays one turn.

    Args:
        level: the default level of :meth:`reset`: :func:`sample`'s keywords (``nodes``,
            ``noise``, ``trials``, ``low``, ``high``, ``branching_factor``, ``goal``;
            ``settings=[low, high]`` also reads).
        seed: seeds the draw of episode seeds for resets without one (so a run of resets is
            reproducible); a reset with ``seed=S`` always plays episode ``S``.

    Attributes after ``reset``: ``record`` (the whole record, hidden model included: for checks
    and baselines, not for the agent), ``history`` (the turns: the prompt, then each action as
    given and each reply), ``transcript`` (``"\\n".join(history)``; the expert's equals the
    record's ``text``), ``experiments`` (run so far), ``done``.
    """

    def __init__(self, level: Optional[Mapping[str, Any]] = None, *, seed: Optional[int] = None) -> None:
        self.level: Dict[str, Any] = _level(level)
        self._rng = random.Random(seed)
        self.record: Dict[str, Any] = {}
        self.history: List[str] = []
        self.experiments = 0
        self.done = True
        self.reward_exact: Optional[Fraction] = None

    @property
    def transcript(self) -> str:
        """The prompt, each action as given and each reply, one after the other (``"\\n"``)."""
        return "\n".join(self.history)

    @property
    def variables(self) -> List[str]:
        return list(self.record["variables"])

    @property
    def goal(self) -> str:
        return str(self.record["goal"])

    @property
    def budget(self) -> int:
        return int(self.record["budget"])

    @property
    def settings(self) -> Tuple[int, int]:
        low, high = self.record["level"]["settings"]
        return int(low), int(high)

    def reset(self, seed: Optional[int] = None, level: Optional[Mapping[str, Any]] = None,
              record: Optional[Mapping[str, Any]] = None) -> Tuple[str, Dict[str, Any]]:
        """Starts an episode: ``record`` when given (a record of a compiled corpus or of
        :func:`sample`), else episode ``seed`` (drawn when None) at ``level`` (default: the env's).

        Returns the prompt (the rules, then the system untouched) and ``info``: ``id``, ``seed``,
        ``variables``, ``goal``, ``budget``, ``settings`` and ``level``.
        """
        if record is None:
            if seed is None:
                seed = self._rng.randrange(SEEDS)
            record = sample(seed, **(_level(level) if level is not None else self.level))
        self.record = dict(record)
        self.history = [self.record["prompt"]]
        self.experiments = 0
        self.done = False
        self.reward_exact = None
        info = {"id": self.record["id"], "seed": self.record["seed"], "variables": self.variables,
                "goal": self.goal, "budget": self.budget, "settings": list(self.settings),
                "level": self.record["level"]}
        return self.record["prompt"], info

    def step(self, action: str) -> Tuple[str, float, bool, Dict[str, Any]]:
        """Plays one turn: an experiment returns its result (every variable's value); an answer,
        or an invalid turn, ends the episode with observation ``""``.

        ``info``: ``turn`` (1, 2, ...), ``experiments`` (run so far), ``kind`` (``"experiment"`` or
        ``"answer"``) and ``action`` (``"set X to v"``) for a turn read; on the answer ``value``
        (the goal's noise-free value), ``best``, ``worst`` and ``reward_exact`` (a Fraction; the
        reward is its float); on an invalid turn ``error``, the binary's message
        (``"turn 2: 'B' is not a variable of this system (A, C and D)"``), and reward 0.

        Raises:
            RuntimeError: no episode is running (reset first, or again after the end).
        """
        if self.done:
            raise RuntimeError("the episode is over (or never started): call reset()")
        turn = len(self.history) // 2 + 1
        self.history.append(action)
        info: Dict[str, Any] = {"turn": turn, "experiments": self.experiments}
        try:
            kind, (name, value) = parse_action(action, self.variables)
            info["kind"], info["action"] = kind, f"set {name} to {value}"
            low, high = self.settings
            if kind == "answer" and name == self.goal:
                raise _Invalid(f"the answer sets the goal {self.goal} itself")
            if not low <= value <= high:
                raise _Invalid(f"{value} is outside the settings {low}...{high}")
            if kind == "experiment" and self.experiments + 1 > self.budget:
                raise _Invalid(f"experiment {self.experiments + 1} is over the budget of {self.budget}")
        except _Invalid as error:
            return self._end(Fraction(0), dict(info, error=f"turn {turn}: {error}"))
        key = info["action"]
        if kind == "experiment":
            self.experiments += 1
            info["experiments"] = self.experiments
            result = str(self.record["results"][key])
            self.history.append(result)
            return result, 0.0, False, info
        info.update(value=int(self.record["values"][key]), best=int(self.record["best"]),
                    worst=int(self.record["worst"]))
        return self._end(_reward(self.record, key), info)

    def _end(self, reward: Fraction, info: Dict[str, Any]) -> Tuple[str, float, bool, Dict[str, Any]]:
        self.done = True
        self.reward_exact = reward
        info["reward_exact"] = reward
        return "", float(reward), True, info


def _level(level: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """:func:`sample`'s keywords from a level (``settings=[low, high]`` read as ``low``, ``high``)."""
    out = dict(level or {})
    if "settings" in out:
        out["low"], out["high"] = out.pop("settings")
    unknown = sorted(set(out) - set(_LEVEL_KEYS))
    if unknown:
        raise ValueError(f"unknown level keys {unknown}: a level takes {', '.join(_LEVEL_KEYS)} (or settings)")
    return out


# The policies read the texts only.

class _Rules(SimpleNamespace):
    variables: List[str]
    goal: str
    budget: int
    low: int
    high: int
    baseline: Dict[str, Fraction]


_BUDGET = re.compile(r"You may run up to (\d+) experiments;")
_SETTINGS = re.compile(r"Then answer by setting one variable other than (\S+) to a whole number from "
                       r"(-?\d+) to (-?\d+), so that")
_BASELINE = "Without intervention: "
_RESULT = "Result: "


def _values(line: str, prefix: str) -> Dict[str, Fraction]:
    """``{"A": 2, "B": -1.5}`` from ``"<prefix>A = 2, B = -1.5."`` (insertion order kept)."""
    if not line.startswith(prefix) or not line.endswith("."):
        raise ValueError(f"not an observation: {line!r}")
    out: Dict[str, Fraction] = {}
    for pair in line[len(prefix):-1].split(", "):
        match = _PAIR.match(pair)
        if not match:
            raise ValueError(f"not a value {pair!r} in {line!r}")
        out[match.group(1)] = Fraction(match.group(2))
    return out


def _rules(prompt: str) -> _Rules:
    """The episode's rules, read from its prompt."""
    budget = _BUDGET.search(prompt)
    settings = _SETTINGS.search(prompt)
    last = prompt.rsplit("\n", 1)[-1]
    if not budget or not settings:
        raise ValueError("not an episode's prompt (no budget or settings)")
    baseline = _values(last, _BASELINE)
    return _Rules(variables=list(baseline), goal=settings.group(1), budget=int(budget.group(1)),
                  low=int(settings.group(2)), high=int(settings.group(3)), baseline=baseline)


def _history(source: Any) -> Tuple[List[str], Mapping[str, Any]]:
    """The turns so far, and the record when ``source`` is an env (the expert reads its
    ``answer`` for ties only, and ``explanations``)."""
    inner = getattr(getattr(source, "unwrapped", None), "env", None)
    if isinstance(inner, EpisodeEnv):  # a GymEpisodeEnv, wrapped or not
        source = inner
    if isinstance(source, EpisodeEnv) or hasattr(source, "history") and hasattr(source, "record"):
        return list(source.history), source.record
    if isinstance(source, str):
        raise TypeError("a policy takes an EpisodeEnv or the list of turns so far, not one text")
    return list(source), {}


def expert_policy(source: Union["EpisodeEnv", History], *, prefer: Optional[str] = None,
                  explanations: Optional[bool] = None) -> str:
    """The expert's next turn, computed from the texts alone (exact fractions).

    Without intervention the goal is one point of the line the goal follows as one variable is
    set (the system is linear); the expert sets each variable other than the goal in listing
    order to the top of the settings (to the bottom when it already sits at the top), so one
    experiment gives the slope and the prediction at the other end. The answer is the largest
    prediction, explained sentence by sentence: the turns equal the record's assistant messages.

    Args:
        source: an :class:`EpisodeEnv` in play, or the turns so far (prompt, action, result, ...).
        prefer: among equal largest predictions, the answer to give (``"set X to v"``); from an
            env, its record's ``answer``. The binary draws it from the seed, which Python does not
            reproduce; without one the first in listing order is given.
        explanations: whether the answer turn explains the choice first (default: the env
            record's ``explanations``, else True); without, it is ``"Answer: set X to v."`` alone.

    Raises:
        ValueError: texts that are no episode's, or ``prefer`` not among the equal best.
    """
    history, record = _history(source)
    prefer = prefer if prefer is not None else record.get("answer")
    explain = explanations if explanations is not None else bool(record.get("explanations", True))
    rules = _rules(history[0])
    others = [v for v in rules.variables if v != rules.goal]
    done = (len(history) - 1) // 2
    if done < min(rules.budget, len(others)):
        v = others[done]
        value = rules.low if rules.baseline[v] == rules.high else rules.high
        return f"Experiment {done + 1}: set {v} to {value}."
    before = rules.baseline[rules.goal]
    lines: List[str] = []
    candidates: List[Tuple[str, Fraction]] = []
    g = rules.goal
    for k in range(done):
        kind, (v, value) = parse_action(history[1 + 2 * k], rules.variables)
        natural = rules.baseline[v]
        if kind != "experiment" or v == g or value == natural:
            continue  # teaches no slope
        after = _values(history[2 + 2 * k], _RESULT)[g]
        slope = (after - before) / (value - natural)
        other = rules.low if value == rules.high else rules.high
        predicted = before + slope * (other - natural)
        lines.append(f"Setting {v} to {value} moved {g} from {number(before)} to {number(after)} while {v} went "
                     f"from {number(natural)} to {value}, so {g} changes by {number(slope)} per unit of {v}, and "
                     f"{v} = {other} would give {g} = {number(predicted)}.")
        candidates += [(f"set {v} to {value}", after), (f"set {v} to {other}", predicted)]
    if not candidates:
        raise ValueError("no experiment to predict from")
    top = max(value for _, value in candidates)
    tied = [action for action, value in candidates if value == top]
    if prefer is not None and len(tied) > 1 and prefer not in tied:
        raise ValueError(f"{prefer!r} is not among the equal best predictions {tied}")
    choice = prefer if prefer in tied else tied[0]
    if not explain:
        return f"Answer: {choice}."
    v, value = choice[len("set "):].split(" to ")
    lines.append(f"The largest predicted value of {g} is {number(top)}, by setting {v} to {value}.")
    lines.append(f"Answer: {choice}.")
    return "\n".join(lines)


def random_policy(rng: Union[random.Random, int, None] = None) -> Policy:
    """A policy of ``budget`` experiments, each a variable (any, the goal included) and a value of
    the settings drawn uniformly, then an answer drawn uniformly among the admissible ones (a
    variable other than the goal, a value of the settings). Its expected reward is the record's
    ``random_reward``. ``rng``: a ``random.Random`` or a seed."""
    draw = rng if isinstance(rng, random.Random) else random.Random(rng)

    def policy(source: Union[EpisodeEnv, History]) -> str:
        history, _ = _history(source)
        rules = _rules(history[0])
        done = (len(history) - 1) // 2
        values = range(rules.low, rules.high + 1)
        if done < rules.budget:
            return f"Experiment {done + 1}: set {draw.choice(rules.variables)} to {draw.choice(values)}."
        others = [v for v in rules.variables if v != rules.goal]
        return f"Answer: set {draw.choice(others)} to {draw.choice(values)}."

    return policy


def run_episode(env: EpisodeEnv, policy: Policy, seed: Optional[int] = None,
                level: Optional[Mapping[str, Any]] = None,
                record: Optional[Mapping[str, Any]] = None) -> Tuple[float, str]:
    """Plays one episode of ``env`` (reset with ``seed``, ``level``, ``record``) with ``policy``
    (called with the env each turn) to its end; returns the reward and the transcript."""
    env.reset(seed=seed, level=level, record=record)
    reward, done = 0.0, False
    while not done:
        _, reward, done, _ = env.step(policy(env))
    return reward, env.transcript


Transcripts = Union[StrPath, Mapping[str, Union[str, Sequence[str]]], Iterable[Mapping[str, Any]]]


def score(gold: StrPath, transcripts: Transcripts) -> Dict[str, Any]:
    """Scores transcripts against the gold corpus (``axiomc episodes score --json``).

    Args:
        gold: the corpus directory (``axiomc compile`` of a ``kind: episodes`` recipe) or one
            split's JSONL file.
        transcripts: a JSONL file, a mapping id → the turns (a list of actions) or the model's
            text (each ``Experiment`` line is one turn; the lines after the last experiment,
            ``Result:`` lines left out, are the answer turn; lines before an experiment, such as a
            copied prompt, are no turn), or dicts ``{"id", "actions"}`` / ``{"id", "text"}``.

    Returns axiomc's report: ``episodes``, ``scored``, ``missing`` (gold episodes without a
    transcript, scored 0), ``invalid``, ``mean_reward``, ``success_rate`` and
    ``mean_experiments`` (decimal strings, as printed), ``problems`` (``"file:line: error: id:
    why"``, the first 20).

    Raises:
        AxiomcError: a line that is no transcript (not JSON, no id, an unknown or repeated id).
    """
    with tempfile.TemporaryDirectory(prefix="axiomc-episodes-") as tmp:
        if isinstance(transcripts, (str, os.PathLike)):
            path = os.fspath(transcripts)
        else:
            path = os.path.join(tmp, "transcripts.jsonl")
            if isinstance(transcripts, Mapping):
                items: List[Mapping[str, Any]] = [
                    {"id": k, "text": v} if isinstance(v, str) else {"id": k, "actions": list(v)}
                    for k, v in transcripts.items()]
            else:
                items = list(transcripts)
            with open(path, "w", encoding="utf-8") as f:
                for item in items:
                    f.write(json.dumps(dict(item)) + "\n")
        done = run(["episodes", "score", os.fspath(gold), path, "--json"])
    report: Dict[str, Any] = json.loads(done.stdout)
    return report


# gymnasium, made on first use.

_GYM_CLASSES = ("GymEpisodeEnv",)
_TEXT_LENGTH = 1 << 16


def _gymnasium():
    try:
        import gymnasium
    except ImportError as error:
        raise ImportError("axiomc.episodes.GymEpisodeEnv needs gymnasium: pip install gymnasium") from error
    return gymnasium


@functools.lru_cache(maxsize=None)
def _gym_classes() -> SimpleNamespace:
    gym = _gymnasium()
    import string

    from gymnasium import spaces

    charset = frozenset(string.printable)

    class GymEpisodeEnv(gym.Env):
        """:class:`EpisodeEnv` as a ``gymnasium.Env``: observations and actions are text
        (``spaces.Text`` over printable ASCII, up to 65,536 characters); ``reset(seed=S)`` plays
        episode ``S`` (without a seed, one drawn from ``np_random``), ``options`` may hold
        ``level`` and ``record``; ``step`` returns ``(observation, reward, terminated, False,
        info)``; ``render()`` gives the transcript.
        """

        metadata = {"render_modes": ["ansi"]}

        def __init__(self, level: Optional[Mapping[str, Any]] = None, render_mode: Optional[str] = None) -> None:
            self.env = EpisodeEnv(level)
            self.render_mode = render_mode
            self.observation_space = spaces.Text(max_length=_TEXT_LENGTH, min_length=0, charset=charset)
            self.action_space = spaces.Text(max_length=_TEXT_LENGTH, min_length=0, charset=charset)

        def reset(self, *, seed: Optional[int] = None, options: Optional[Dict[str, Any]] = None):
            super().reset(seed=seed)
            options = options or {}
            if seed is None and options.get("record") is None:
                seed = int(self.np_random.integers(0, SEEDS))
            return self.env.reset(seed=seed, level=options.get("level"), record=options.get("record"))

        def step(self, action: str):
            observation, reward, done, info = self.env.step(action)
            return observation, reward, done, False, info

        def render(self) -> str:
            return self.env.transcript

    GymEpisodeEnv.__module__ = __name__
    GymEpisodeEnv.__qualname__ = GymEpisodeEnv.__name__
    if GYM_ID not in gym.registry:
        gym.register(id=GYM_ID, entry_point=f"{__name__}:GymEpisodeEnv")
    return SimpleNamespace(GymEpisodeEnv=GymEpisodeEnv)


def make_gym_env(level: Optional[Mapping[str, Any]] = None, **kwargs: Any):
    """``gymnasium.make(GYM_ID, level=level, **kwargs)``: a :class:`GymEpisodeEnv` in gymnasium's
    wrappers (registering the id first).

    Raises:
        ImportError: gymnasium is not installed.
    """
    _gym_classes()
    import gymnasium

    return gymnasium.make(GYM_ID, level=level, **kwargs)


def __getattr__(name: str) -> Any:
    if name in _GYM_CLASSES:
        return getattr(_gym_classes(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
