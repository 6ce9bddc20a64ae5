"""axiomc.episode_environment: the multi-turn verifiers (v1) environment of episodes, its splits, its
turn loop and its scoring, driven without a model.

``AxiomcEpisodeEnv.run`` is driven with a scripted seat: an ``agents.agent.interaction(task)`` that
keeps verifiers' contract (a prompted task's first bare ``turn()`` takes the opening reply, each
``turn(message)`` appends the user message and one sampled reply to a real ``vf.Trace``, a
``terminated`` segment when the run is over, the task scored through ``Task.score`` at close) with
the replies computed by a policy from the conversation. Skipped without verifiers.
"""
from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from fractions import Fraction
from types import SimpleNamespace
from typing import Callable, List, Optional

import pytest

from axiomc import environments, episode_environment, episodes

vf = pytest.importorskip("verifiers.v1", reason="pip install verifiers (>= 0.4) for the verifiers environment")

KW = dict(size=12, eval_size=6, seed=3)


@pytest.fixture(scope="module")
def env():
    return episode_environment.load_episode_environment(**KW)


@pytest.fixture(scope="module")
def tasks(env) -> list:
    return list(env.taskset)


class ScriptedInteraction:
    """One rollout held open turn by turn, as ``vf.Agent.interaction`` holds it, with the model's
    replies from ``policy(history)`` (the prompt, then each reply and each user message)."""

    def __init__(self, task, policy: Callable[[List[str]], str], max_turns: Optional[int]) -> None:
        from verifiers.v1.trace import AgentInfo, TraceTask

        self.task, self.policy, self.max_turns = task, policy, max_turns
        self.trace = vf.Trace(task=TraceTask(type=type(task).__name__, data=task.data, key=task.key, hash=task.hash),
                              agent=AgentInfo(config=vf.AgentConfig()), nodes=[])
        self.sent: List[Optional[str]] = []
        self._over = False

    def _append(self, message, sampled: bool = False) -> None:
        parent = len(self.trace.nodes) - 1 if self.trace.nodes else None
        self.trace.nodes.append(vf.MessageNode(parent=parent, message=message, sampled=sampled))

    async def turn(self, message: Optional[str] = None):
        from verifiers.v1.agent import Segment

        assert not self._over, "a turn after the exchange ended"
        # Yield to the event loop, as a model call does, so concurrent rollouts interleave.
        await asyncio.sleep(0)
        assert (message is None) == (not self.trace.nodes), "the prompt opens; every later turn sends a message"
        self.sent.append(message)
        self._append(vf.UserMessage(content=self.task.data.prompt if message is None else message))
        history = [n.message.content for n in self.trace.nodes]
        if self.max_turns is not None and self.trace.num_turns >= self.max_turns:
            self.trace.stop("max_turns")
            self._over = True
            return Segment(messages=[], terminated=True)
        reply = vf.AssistantMessage(content=self.policy(history))
        self._append(reply, sampled=True)
        return Segment(messages=[reply])


class ScriptedAgent:
    def __init__(self, policy, max_turns: Optional[int] = None) -> None:
        self.policy, self.max_turns = policy, max_turns
        self.interactions: List[ScriptedInteraction] = []

    @contextlib.asynccontextmanager
    async def interaction(self, task):
        chat = ScriptedInteraction(task, self.policy, self.max_turns)
        self.interactions.append(chat)
        try:
            yield chat
        finally:
            if chat.trace.stop_condition is None:
                chat.trace.stop("user_closed")
            await task.score(chat.trace)  # runtime=None: the runtime-free signals, as verifiers runs them


def _play(env, task, policy, max_turns: Optional[int] = None) -> ScriptedInteraction:
    agent = ScriptedAgent(policy, max_turns)
    asyncio.run(env.run(task, SimpleNamespace(agent=agent)))
    (chat,) = agent.interactions
    return chat


def _expert(record):
    return lambda history: episodes.expert_policy(history, prefer=record["answer"])


def _score(task, replies: List[str]):
    from verifiers.v1.trace import AgentInfo, TraceTask

    nodes = [vf.MessageNode(message=vf.UserMessage(content=task.data.prompt))]
    for reply in replies:
        nodes.append(vf.MessageNode(parent=len(nodes) - 1, message=vf.AssistantMessage(content=reply), sampled=True))
        nodes.append(vf.MessageNode(parent=len(nodes) - 1, message=vf.UserMessage(content="...")))
    trace = vf.Trace(task=TraceTask(type=type(task).__name__, data=task.data, key=task.key, hash=task.hash),
                     agent=AgentInfo(config=vf.AgentConfig()), nodes=nodes)
    asyncio.run(task.score(trace))
    return trace


def test_load_gives_a_multi_turn_env_over_the_train_episodes(env, tasks) -> None:
    assert isinstance(env, vf.Env) and type(env).__name__ == "AxiomcEpisodeEnv"
    assert env.config.taskset.id == episode_environment.TASKSET_ID
    assert type(env._harnesses["agent"]).__name__ == "NullHarness"  # a plain chat loop, no tools
    seeds = episode_environment.episode_seeds("train", **KW)
    assert len(tasks) == 12 and [t.data.seed for t in tasks] == seeds
    for i, task in enumerate(tasks):
        data = task.data
        assert (data.idx, data.id) == (i, f"train-{i:06d}")
        assert data.info == episodes.sample(data.seed)  # the record, at the default level
        assert data.prompt == data.info["prompt"] and data.system_prompt is None
    assert len({t.key for t in tasks}) == 12 and tasks[3].key == tasks[3].with_data(idx=99).key
    assert [fn.__name__ for fn in tasks[0].hooks("reward")] == ["episode_reward"]
    assert [fn.__name__ for fn in tasks[0].hooks("stop")] == ["episode_over"]


def test_items_are_deterministic_and_eval_seeds_are_disjoint(tasks) -> None:
    again = list(episode_environment.load_episode_environment(**KW).taskset)
    assert [t.data for t in again] == [t.data for t in tasks]
    evals = list(episode_environment.load_episode_environment(split="eval", **KW).taskset)
    assert len(evals) == 6 and all(t.data.id.startswith("eval-") for t in evals)
    assert not {t.data.seed for t in evals} & {t.data.seed for t in tasks}
    assert not {t.data.prompt for t in evals} & {t.data.prompt for t in tasks}
    assert [t.data.seed for t in evals] == episode_environment.episode_seeds("eval", **KW)
    # Train seeds extend with size; eval excludes every train seed, and comes from eval_seed's stream.
    assert episode_environment.episode_seeds("train", size=200, seed=3)[:12] == [t.data.seed for t in tasks]
    big_train = set(episode_environment.episode_seeds("train", size=5000, seed=3))
    assert not big_train & set(episode_environment.episode_seeds("eval", size=5000, eval_size=500, seed=3))
    assert episode_environment.episode_seeds("train", size=6, seed=environments.eval_seed(3)) == \
        episode_environment.episode_seeds("eval", size=0, eval_size=6, seed=3)
    other = episode_environment.episode_seeds("train", size=12, seed=4)
    assert other != [t.data.seed for t in tasks]
    with pytest.raises(ValueError, match="split"):
        episode_environment.load_episode_environment(split="test", **KW)
    with pytest.raises(ValueError, match="unknown level keys"):
        episode_environment.load_episode_environment(colour=1, **KW)


def test_the_expert_plays_full_rollouts_to_reward_one(env, tasks) -> None:
    for task in tasks[:6]:
        record = task.data.info
        chat = _play(env, task, _expert(record))
        trace = chat.trace
        # The conversation is the corpus's: the env's replies are the records' Result lines.
        assert [{"role": n.message.role, "content": n.message.content} for n in trace.nodes] == record["messages"]
        assert chat.sent == [None] + [m["content"] for m in record["messages"][2::2]]
        assert trace.num_turns == record["budget"] + 1 == len(record["variables"])
        assert trace.stop_condition == "user_closed"
        assert trace.rewards["episode_reward"].score == 1.0 and trace.reward == 1.0
        assert trace.metrics == {"experiments": float(record["budget"]), "valid": 1.0, "answered": 1.0, "success": 1.0}


def test_a_malformed_action_ends_the_rollout_with_reward_zero(env, tasks) -> None:
    task = tasks[0]
    record = task.data.info
    expert = _expert(record)
    script = iter(["Experiment 1: turn the knob."])
    chat = _play(env, task, lambda history: next(script))
    assert chat.trace.num_turns == 1 and chat.sent == [None]  # no reply to an invalid turn
    assert chat.trace.reward == 0.0
    assert chat.trace.metrics == {"experiments": 0.0, "valid": 0.0, "answered": 0.0, "success": 0.0}
    # After two good experiments, an unknown variable: ended there, still 0.
    script2 = iter([expert([record["prompt"]]), None, "Experiment 3: set ZZ to 1."])
    turns: List[str] = []

    def policy(history):
        turn = next(script2)
        if turn is None:
            turn = expert(history)
        turns.append(turn)
        return turn

    chat = _play(env, task, policy)
    assert chat.trace.num_turns == 3 and chat.trace.reward == 0.0
    assert chat.trace.metrics["experiments"] == 2.0 and chat.trace.metrics["valid"] == 0.0
    assert episode_environment.play(record, turns)["error"].startswith("turn 3: 'ZZ' is not a variable")


def test_over_budget_and_the_goal_as_answer_score_zero(env, tasks) -> None:
    task = tasks[1]
    record = task.data.info
    goal, other = record["goal"], next(v for v in record["variables"] if v != record["goal"])
    chat = _play(env, task, lambda history: f"Experiment: set {other} to 1.")
    assert chat.trace.num_turns == record["budget"] + 1 and chat.trace.reward == 0.0
    assert chat.trace.metrics["experiments"] == float(record["budget"]) and chat.trace.metrics["valid"] == 0.0
    chat = _play(env, task, lambda history: f"Answer: set {goal} to 1.")
    assert chat.trace.num_turns == 1 and chat.trace.reward == 0.0


def test_a_turn_limit_before_the_answer_scores_zero(tasks) -> None:
    env = episode_environment.load_episode_environment(max_turns=2, **KW)
    assert env.config.agent.max_turns == 2
    task = tasks[2]
    chat = _play(env, task, _expert(task.data.info), max_turns=2)
    assert chat.trace.num_turns == 2 and chat.trace.stop_condition == "max_turns"
    assert chat.trace.reward == 0.0
    assert chat.trace.metrics == {"experiments": 2.0, "valid": 1.0, "answered": 0.0, "success": 0.0}


def test_rollouts_keep_no_state_between_them(env, tasks) -> None:
    # Interleaved rollouts of one task: each plays its own EpisodeEnv.
    task = tasks[3]
    record = task.data.info
    rng_policy = episodes.random_policy(11)

    log: List[str] = []

    def tagged(name, policy):
        return lambda h: (log.append(name), policy(h))[1]

    async def both():
        a = ScriptedAgent(tagged("expert", _expert(record)))
        b = ScriptedAgent(tagged("random", lambda h: rng_policy(h)))
        await asyncio.gather(env.run(task, SimpleNamespace(agent=a)), env.run(task, SimpleNamespace(agent=b)))
        return a.interactions[0].trace, b.interactions[0].trace

    expert_trace, random_trace = asyncio.run(both())
    # The two rollouts' turns did interleave (each yields per turn, as a model call does).
    assert log.index("random") < len(log) - 1 - log[::-1].index("expert"), log
    assert expert_trace.reward == 1.0
    turns = [m.content for m in random_trace.assistant_messages]
    assert random_trace.reward == episode_environment.play(record, turns)["reward"]
    assert Fraction(episode_environment.play(record, turns)["reward_exact"]) == Fraction(random_trace.reward)


def test_noisy_levels_reach_the_tasks_and_score_the_expert_as_the_record_does() -> None:
    env = episode_environment.load_episode_environment({"nodes": 4}, noise=1, trials=4, size=4, eval_size=2, seed=9)
    tasks = list(env.taskset)
    assert env.config.taskset.level == {"nodes": 4, "noise": 1, "trials": 4}
    for task in tasks:
        record = task.data.info
        assert record == episodes.sample(task.data.seed, nodes=4, noise=1, trials=4)
        chat = _play(env, task, _expert(record))
        assert chat.trace.reward == float(Fraction(record["expert_reward"]))


def test_stored_traces_rescore_offline(tasks) -> None:
    task = tasks[4]
    record = task.data.info
    expert_turns = [m["content"] for m in record["messages"][1::2]]
    assert _score(task, expert_turns).reward == 1.0
    assert _score(task, expert_turns + ["Answer: set nothing."]).reward == 1.0  # turns after the end are not read
    assert _score(task, expert_turns[:-1]).reward == 0.0  # never answered
    assert _score(task, []).reward == 0.0
    (stop,) = task.hooks("stop")
    assert asyncio.run(stop(_score(task, expert_turns))) is True
    assert asyncio.run(stop(_score(task, expert_turns[:-1]))) is False
    assert asyncio.run(stop(_score(task, ["hello"]))) is True  # an invalid turn ends the episode


def test_the_taskset_id_resolves_to_the_episode_env_through_verifiers_loaders(env) -> None:
    config = vf.resolve_env_config(env.config.model_dump(mode="json"))
    assert type(config).__name__ == "AxiomcEpisodeEnvConfig"
    assert type(config.taskset).__name__ == "AxiomcEpisodeTasksetConfig" and config.taskset.size == 12
    again = vf.load_environment(config)
    assert type(again) is type(env) is episode_environment.AxiomcEpisodeEnv
    assert [t.data.seed for t in again.taskset] == [t.data.seed for t in env.taskset]
    import axiomc_episode_environment

    assert axiomc_episode_environment is episode_environment


def test_importing_the_module_does_not_import_verifiers() -> None:
    code = "import sys, axiomc, axiomc.episode_environment; print('verifiers' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
