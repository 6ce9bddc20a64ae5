"""axiomc.environments: the verifiers (v1) environment, its splits, and rollouts scored offline.

Skipped without verifiers (``pip install verifiers``); the split logic (``items``) needs only axiomc.
"""
from __future__ import annotations

import asyncio

import pytest

import axiomc
from axiomc import environments

vf = pytest.importorskip("verifiers.v1", reason="pip install verifiers (>= 0.4) for the verifiers environment")

KW = dict(size=40, eval_size=20, seed=5)


def _tasks(env) -> list:
    return list(env.taskset)


def _trace(task, reply: str):
    """A finished single-turn rollout of ``task`` whose model reply is ``reply``, as the rollout
    records it: the prompt as a user message, the reply as a sampled assistant message."""
    from verifiers.v1.trace import AgentInfo, TraceTask

    nodes = [vf.MessageNode(message=vf.UserMessage(content=task.data.prompt)),
             vf.MessageNode(parent=0, message=vf.AssistantMessage(content=reply), sampled=True)]
    return vf.Trace(task=TraceTask(type=type(task).__name__, data=task.data, key=task.key, hash=task.hash),
                    agent=AgentInfo(config=vf.AgentConfig()), nodes=nodes)


def _score(task, reply: str):
    trace = _trace(task, reply)
    asyncio.run(task.score(trace))  # runtime=None: what an offline rescoring does
    return trace


def test_load_environment_gives_a_single_agent_env_over_the_train_items() -> None:
    env = environments.load_environment("transitivity", **KW)
    assert isinstance(env, vf.SingleAgentEnv)
    assert env.config.taskset.id == environments.TASKSET_ID
    assert type(env.taskset).__name__ == "AxiomcTaskset"
    assert type(env._harnesses["agent"]).__name__ == "NullHarness"  # a plain chat loop, no tools
    tasks = _tasks(env)
    assert len(tasks) == 40
    items = axiomc.create_dataset("transitivity", size=40, seed=5)
    for i, (task, item) in enumerate(zip(tasks, items)):
        data = task.data
        assert set(type(data).model_fields) >= {"prompt", "answer", "source_dataset", "info", "id", "system_prompt"}
        assert (data.idx, data.id) == (i, f"train-{i:06d}")
        assert data.prompt == item["question"] and data.answer == item["answer"] in ("Yes", "No")
        assert data.info == item["metadata"] and data.source_dataset == "transitivity"
        assert data.system_prompt is None
    assert len({task.key for task in tasks}) == 40  # keys: unique, and not the position
    assert tasks[3].key == tasks[3].with_data(idx=99).key


def test_eval_split_is_its_own_size_and_asks_no_train_question() -> None:
    train = _tasks(environments.load_environment("transitivity", **KW))
    evals = _tasks(environments.load_environment("transitivity", split="eval", **KW))
    assert len(evals) == 20
    assert all(t.data.id.startswith("eval-") for t in evals)
    assert not {t.data.prompt for t in train} & {t.data.prompt for t in evals}
    # Drawn from a seed of its own: no other seed's train items either.
    assert environments.eval_seed(5) not in range(0, 1000)
    other = axiomc.create_dataset("transitivity", size=40, seed=6)
    assert not {i["question"] for i in other} & {t.data.prompt for t in evals}
    with pytest.raises(ValueError, match="split"):
        environments.load_environment("transitivity", split="test")


def test_eval_items_left_out_when_train_asks_them_are_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    # Axiomc's task spaces are too large to collide in a test, so the draws are faked: train asks
    # q0..q9; eval's seed asks the even questions, the first five of which train asks too.
    def fake(task, size, seed, **kwargs):
        step = 2 if seed == environments.eval_seed(1) else 1
        return [{"question": f"q{step * i}", "answer": "Yes", "metadata": {}} for i in range(size)]

    monkeypatch.setattr(environments, "create_dataset", fake)
    evals = environments.items("eval", "transitivity", size=10, eval_size=5, seed=1)
    assert [i["question"] for i in evals] == ["q10", "q12", "q14", "q16", "q18"]
    # A task space too small for the eval size: an error, not a short (or overlapping) eval split.
    monkeypatch.setattr(environments, "create_dataset",
                        lambda task, size, seed, **kw: [{"question": f"q{i % 10}"} for i in range(size)])
    with pytest.raises(ValueError, match="too small"):
        environments.items("eval", "transitivity", size=10, eval_size=5, seed=1)


def test_mix_level_config_and_system_prompt_reach_the_tasks() -> None:
    env = environments.load_environment("mix", tasks={"transitivity": 1, "d-separation": 1}, level="easy",
                                        size=20, eval_size=8, seed=2, system_prompt="Think, then answer.",
                                        explanations=False)
    tasks = _tasks(env)
    items = axiomc.create_dataset("mix", size=20, seed=2, tasks={"transitivity": 1, "d-separation": 1},
                                  level="easy", explanations=False)
    assert [t.data.prompt for t in tasks] == [i["question"] for i in items]
    assert {t.data.source_dataset for t in tasks} == {"transitivity", "d-separation"}
    assert all(t.data.info["meta"]["difficulty"] is not None for t in tasks)
    assert all(t.data.system_prompt == "Think, then answer." for t in tasks)


@pytest.mark.parametrize("strict", [False, True])
def test_rollouts_are_scored_through_the_task_as_verifiers_scores_them(strict: bool) -> None:
    env = environments.load_environment("transitivity", strict=strict, **KW)
    tasks = _tasks(env)
    assert [fn.__name__ for fn in tasks[0].hooks("reward")] == ["correct"]
    for task in tasks[:6]:
        gold = task.data.answer
        wrong = "No" if gold == "Yes" else "Yes"
        replies = {
            f"Let me think.\nAnswer: {gold}": (1.0, 1.0),        # the taught format
            gold: (1.0, 1.0),                                    # the bare answer
            f"so the answer is **{gold.lower()}**.": (1.0, 0.0), # read by eval, not a taught format
            f"<answer>{gold}</answer>": (1.0, 0.0),
            f"Answer: {wrong}": (0.0, 0.0),
            "I cannot tell.": (0.0, 0.0),
            "": (0.0, 0.0),
        }
        for reply, (lenient, strict_score) in replies.items():
            trace = _score(task, reply)
            expected = strict_score if strict else lenient
            assert trace.rewards["correct"].score == expected, (reply, gold)
            assert trace.reward == expected
            assert trace.reward == axiomc.reward(reply, {"label": gold}, strict=strict)
            assert trace.metrics["answered"] == float(axiomc.extract_answer(reply) is not None)
            assert trace.metrics["strict_format"] == float(axiomc.strict_answer(reply) is not None)


def test_the_reply_scored_is_the_last_assistant_message_and_one_turn_ends_the_rollout() -> None:
    task = _tasks(environments.load_environment("transitivity", **KW))[0]
    gold = task.data.answer
    wrong = "No" if gold == "Yes" else "Yes"
    trace = _trace(task, f"Answer: {gold}")
    trace.nodes.append(vf.MessageNode(parent=1, message=vf.UserMessage(content="Sure?")))
    trace.nodes.append(vf.MessageNode(parent=2, message=vf.AssistantMessage(content=f"Answer: {wrong}"), sampled=True))
    asyncio.run(task.score(trace))
    assert trace.reward == 0.0
    (stop,) = task.hooks("stop")
    assert asyncio.run(stop(_trace(task, "Yes"))) is True
    empty = _trace(task, "Yes")
    empty.nodes.pop()
    assert asyncio.run(stop(empty)) is False


def test_the_taskset_id_resolves_through_verifiers_loaders() -> None:
    env = environments.load_environment("transitivity", strict=True, **KW)
    # What a served worker or `vf eval` does with the config: resolve it by id and load the env.
    config = vf.resolve_env_config(env.config.model_dump(mode="json"))
    assert type(config.taskset).__name__ == "AxiomcTasksetConfig" and config.taskset.task.strict is True
    again = vf.load_environment(config)
    assert [t.data.prompt for t in again.taskset] == [t.data.prompt for t in env.taskset]
    assert environments.AxiomcTaskset is type(env.taskset)
