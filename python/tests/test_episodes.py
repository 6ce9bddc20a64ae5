"""axiomc.episodes: the experiment-then-exploit environment against the binary's records.

The expert policy is an independent Python reading of the observation texts; its transcripts
must be the records' ``text`` byte for byte, and score 1 on every noise-free episode. Actions are
read as ``axiomc episodes score`` reads them: the env's rewards and error messages are compared
with the binary's on a compiled corpus. The gymnasium wrapper is tested when gymnasium is
installed (``pip install gymnasium``).
"""
from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path
from typing import Any, Dict, List

import pytest

import axiomc
from axiomc import episodes
from axiomc.episodes import EpisodeEnv, expert_policy, random_policy, run_episode

# (level, seeds): noise-free and noisy levels, 3 to 8 variables, other settings.
TEXT_LEVELS = [
    ({}, range(0, 30)),
    ({"nodes": 3}, range(100, 115)),
    ({"nodes": 8, "branching_factor": 2}, range(200, 215)),
    ({"noise": 2, "trials": 4}, range(300, 330)),
    ({"nodes": 6, "noise": 1, "trials": 3, "low": -2, "high": 3}, range(400, 415)),
]
NOISE_FREE = [{"nodes": n} for n in (3, 4, 5, 6, 7)]


def _record_turns(record: Dict[str, Any]) -> List[str]:
    return [m["content"] for m in record["messages"]]


@pytest.fixture(scope="module")
def noise_free_records() -> List[Dict[str, Any]]:
    """300 noise-free episodes, 60 at each of 3-7 variables."""
    return [episodes.sample(1000 + i, **NOISE_FREE[i % len(NOISE_FREE)]) for i in range(300)]


@pytest.mark.parametrize("level, seeds", TEXT_LEVELS, ids=lambda x: json.dumps(x) if isinstance(x, dict) else "")
def test_the_expert_policy_writes_the_records_text_byte_for_byte(level: Dict[str, Any], seeds: range) -> None:
    env = EpisodeEnv()
    for seed in seeds:
        reward, transcript = run_episode(env, expert_policy, seed=seed, level=level)
        record = env.record
        assert record["seed"] == seed
        assert transcript == record["text"], seed
        assert env.history == _record_turns(record), seed
        assert env.reward_exact == Fraction(record["expert_reward"]), seed
        assert reward == float(Fraction(record["expert_reward"]))
        assert env.experiments == record["budget"] == len(record["experiments"])


def test_the_expert_reads_a_plain_list_of_turns_and_breaks_ties_only_as_told() -> None:
    record = episodes.sample(7)  # H's predictions: A = 0 gives 2, every other one 0 or less
    turns = _record_turns(record)
    for k in range(1, len(turns), 2):
        assert expert_policy(turns[:k]) == turns[k]
    # On a noise-free level the predictions are exact: ties are the ends of the settings that
    # reach the best value; the binary draws one from the seed, the env takes the record's.
    def ties(r: Dict[str, Any]) -> List[str]:
        low, high = r["level"]["settings"]
        return [k for k, v in r["values"].items() if v == r["best"] and k.endswith((f" to {low}", f" to {high}"))]

    tied = next(r for r in (episodes.sample(s, nodes=4) for s in range(500)) if len(ties(r)) > 1)
    turns = _record_turns(tied)
    history = turns[:-1]
    assert tied["answer"] in ties(tied)
    assert expert_policy(history, prefer=tied["answer"]) == turns[-1]
    for other in ties(tied):
        assert expert_policy(history, prefer=other).endswith(f"Answer: {other}.")
    # Without a preference the first tie in listing order (experiment value, then the other end).
    assert expert_policy(history).splitlines()[-1] in {f"Answer: {t}." for t in ties(tied)}
    with pytest.raises(ValueError, match="not among the equal best"):
        expert_policy(history, prefer=next(k for k in tied["values"] if k not in ties(tied)))
    # Records made without explanations end with the answer alone.
    assert expert_policy(history, prefer=tied["answer"], explanations=False) == f"Answer: {tied['answer']}."


def test_the_expert_scores_exactly_one_on_noise_free_levels(noise_free_records: List[Dict[str, Any]]) -> None:
    env = EpisodeEnv()
    rewards = []
    for record in noise_free_records:
        run_episode(env, expert_policy, record=record)
        rewards.append(env.reward_exact)
        assert env.transcript == record["text"]
    mean = sum(rewards, Fraction(0)) / len(rewards)
    print(f"expert mean reward over {len(rewards)} noise-free episodes: {mean}")
    assert mean == 1


def test_the_random_policy_earns_the_records_random_reward(noise_free_records: List[Dict[str, Any]]) -> None:
    env = EpisodeEnv()
    policy = random_policy(random.Random(11))
    plays = 5
    rewards = [run_episode(env, policy, record=record)[0] for record in noise_free_records for _ in range(plays)]
    measured = sum(rewards) / len(rewards)
    expected = float(sum(Fraction(r["random_reward"]) for r in noise_free_records) / len(noise_free_records))
    print(f"random policy: mean reward {measured:.4f} over {len(rewards)} plays; records' random_reward {expected:.4f}")
    # 1500 plays of rewards in [0, 1]: the standard error is below 0.013.
    assert abs(measured - expected) < 0.05
    assert 0.3 < measured < 0.7


def test_random_policy_spends_the_budget_then_answers() -> None:
    env = EpisodeEnv()
    reward, transcript = run_episode(env, random_policy(3), seed=5)
    assert env.done and env.experiments == env.budget
    assert 0.0 <= reward <= 1.0
    assert transcript.splitlines()[-1].startswith("Answer: set ")
    assert run_episode(EpisodeEnv(), random_policy(3), seed=5) == (reward, transcript)


def test_experiments_return_the_records_results_and_the_answer_ends_with_the_exact_reward() -> None:
    env = EpisodeEnv({"nodes": 4})
    prompt, info = env.reset(seed=21)
    record = env.record
    assert prompt == record["prompt"] and prompt.splitlines()[-1].startswith("Without intervention: ")
    assert info["variables"] == record["variables"] and info["goal"] == record["goal"]
    assert info["budget"] == record["budget"] == 3 and info["settings"] == [0, 5]
    goal, other = record["goal"], next(v for v in record["variables"] if v != record["goal"])
    # The goal may be experimented on; names and keywords in any case; every action form.
    observation, reward, done, info = env.step(f"experiment 1: SET {goal.lower()} TO 5")
    assert (observation, reward, done) == (record["results"][f"set {goal} to 5"], 0.0, False)
    assert info == {"turn": 1, "experiments": 1, "kind": "experiment", "action": f"set {goal} to 5"}
    assert env.step(f"do({other} = 2)")[0] == record["results"][f"set {other} to 2"]
    assert env.step(f"  {other}=+0.  ")[0] == record["results"][f"set {other} to 0"]
    observation, reward, done, info = env.step(f"I think so.\nanswer: SET {other.lower()} to 3.")
    key = f"set {other} to 3"
    exact = Fraction(record["values"][key] - record["worst"], record["best"] - record["worst"])
    assert (observation, done) == ("", True)
    assert info["reward_exact"] == exact and reward == float(exact)
    assert info["value"] == record["values"][key] and (info["best"], info["worst"]) == (record["best"], record["worst"])
    assert env.transcript == "\n".join([
        prompt, f"experiment 1: SET {goal.lower()} TO 5", record["results"][f"set {goal} to 5"],
        f"do({other} = 2)", record["results"][f"set {other} to 2"],
        f"  {other}=+0.  ", record["results"][f"set {other} to 0"],
        f"I think so.\nanswer: SET {other.lower()} to 3."])
    with pytest.raises(RuntimeError, match="reset"):
        env.step(f"Answer: set {other} to 3.")


@pytest.mark.parametrize("turns, error", [
    (["Let me think."], "turn 1: 'Let me think.' is no action: write \"set X to v\""),
    (["Experiment 1: set Q to 1."], "turn 1: 'Q' is not a variable of this system (A, H, N, W and X)"),
    (["Experiment 1: set A to 1.5."], "turn 1: '1.5' is not a whole number"),
    (["Experiment 1: set A to 6."], "turn 1: 6 is outside the settings 0...5"),
    (["Answer: set A to -1."], "turn 1: -1 is outside the settings 0...5"),
    (["Experiment 1: set A to 5.", "Answer: set H to 5."], "turn 2: the answer sets the goal H itself"),
    (["Answer: the best is A"], "turn 1: 'the best is A' is no action: write \"set X to v\""),
    ([f"Experiment {k}: set A to {k}." for k in range(1, 6)], "turn 5: experiment 5 is over the budget of 4"),
])
def test_an_invalid_turn_ends_the_episode_with_reward_zero_and_says_why(turns: List[str], error: str) -> None:
    env = EpisodeEnv()
    env.reset(seed=7)  # variables A, H, N, W, X; goal H; budget 4; settings 0...5
    for turn in turns[:-1]:
        assert env.step(turn)[2] is False
    observation, reward, done, info = env.step(turns[-1])
    assert (observation, reward, done) == ("", 0.0, True)
    assert info["error"] == error and info["reward_exact"] == 0
    assert env.transcript.endswith(turns[-1])


def test_one_seed_gives_one_episode() -> None:
    a, b = EpisodeEnv(), EpisodeEnv()
    assert a.reset(seed=42)[0] == b.reset(seed=42)[0]
    assert a.record == b.record == episodes.sample(42)
    assert a.reset(seed=43)[0] != b.record["prompt"]
    # Resets without a seed draw one from the env's own seed.
    drawn = [EpisodeEnv(seed=9).reset()[1]["seed"] for _ in range(2)]
    assert drawn[0] == drawn[1]
    assert EpisodeEnv({"noise": 2}).reset(seed=42)[1]["level"]["trials"] == 4
    assert EpisodeEnv().reset(seed=1, level={"settings": [-1, 2]})[1]["settings"] == [-1, 2]
    with pytest.raises(ValueError, match="unknown level keys"):
        EpisodeEnv({"density": 2})
    with pytest.raises(axiomc.AxiomcError, match="trial"):
        episodes.sample(1, trials=3)


def test_number_writes_whole_numbers_exact_decimals_and_fractions() -> None:
    cases = {Fraction(12): "12", Fraction(-3): "-3", Fraction(9, 4): "2.25", Fraction(-1, 2): "-0.5",
             Fraction(-7, 3): "-7/3", Fraction(1, 40): "0.025", Fraction(-101, 44): "-101/44", Fraction(0): "0",
             Fraction(-1, 25): "-0.04"}
    for value, text in cases.items():
        assert episodes.number(value) == text
        assert Fraction(text) == value


# Scoring through the binary.

TINY = {
    "kind": "episodes", "name": "tiny-episodes", "seed": 20260101, "held_out_structures": 0.2,
    "defaults": {"nodes": [4, 5], "family": "random", "edge_probability": 0.5, "weights": [-3, 3],
                 "constants": [0, 3], "settings": [0, 5]},
    "splits": [
        {"name": "train", "role": "train", "structures": "seen", "count": 50},
        {"name": "eval_held_out_structures", "role": "eval", "structures": "held-out", "count": 10},
        {"name": "eval_6_7", "role": "eval", "nodes": [6, 7], "count": 10},
        {"name": "eval_noisy", "role": "eval", "structures": "seen", "noise": 2, "trials": 4, "count": 10},
    ],
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return axiomc.compile(TINY, tmp_path_factory.mktemp("episodes") / "tiny")


def _gold(corpus: Path, split: str | None = None) -> List[Dict[str, Any]]:
    files = [f"{split}.jsonl"] if split else [s["file"] for s in json.loads((corpus / "manifest.json").read_text())["splits"]]
    return [json.loads(line) for f in files for line in (corpus / f).read_text().splitlines()]


def test_expert_transcripts_score_one_through_the_binary(corpus: Path) -> None:
    train = _gold(corpus, "train")
    assert len(train) == 50
    env = EpisodeEnv()
    actions = {}
    for record in train:
        run_episode(env, expert_policy, record=record)
        assert env.transcript == record["text"] and env.reward_exact == 1
        actions[record["id"]] = env.history[1::2]
    report = episodes.score(corpus / "train.jsonl", actions)
    assert report["episodes"] == report["scored"] == 50 and report["missing"] == report["invalid"] == 0
    assert report["mean_reward"] == report["success_rate"] == "1.0000"
    assert Fraction(report["mean_experiments"]) == Fraction(sum(r["budget"] for r in train), 50)
    assert report["problems"] == []
    # The model's turns as one text (without the prompt) read the same.
    texts = {r["id"]: "\n".join(_record_turns(r)[1:]) for r in train}
    assert episodes.score(corpus / "train.jsonl", texts)["mean_reward"] == "1.0000"
    # On every split the expert's mean is the one the compiler reported.
    env_means = {}
    for split in corpus.summary["splits"]:
        records = _gold(corpus, split["name"])
        rewards = [Fraction(0)] * 0
        for record in records:
            run_episode(env, expert_policy, record=record)
            rewards.append(env.reward_exact)
        env_means[split["name"]] = sum(rewards, Fraction(0)) / len(rewards)
        assert abs(float(env_means[split["name"]]) - float(split["expert_reward_mean"])) <= 5e-5
    print("expert mean reward by split:", {k: f"{float(v):.4f}" for k, v in env_means.items()})


def _sloppy_policy(rng: random.Random):
    """A policy whose turns are sometimes invalid in each way the binary names, and which may run
    past the budget: the env and the binary must agree on every outcome."""
    valid = random_policy(rng)

    def policy(env: EpisodeEnv) -> str:
        low, high = env.settings
        v = rng.choice(env.variables)
        roll = rng.random()
        if roll < 0.03:
            return "Let me think."
        if roll < 0.06:
            return f"Experiment 1: set Q{v} to 1."
        if roll < 0.09:
            return f"Experiment 1: set {v} to {high + 1}."
        if roll < 0.12:
            return f"Answer: set {env.goal} to {low}."
        if roll < 0.15 and env.experiments == env.budget:
            return f"Experiment {env.experiments + 1}: do({v.lower()} = {low})"
        return valid(env)

    return policy


def test_random_transcripts_score_the_same_in_the_env_and_the_binary(corpus: Path, tmp_path: Path) -> None:
    gold = _gold(corpus)
    env = EpisodeEnv()
    for name, policy in [("random", random_policy(random.Random(5))), ("sloppy", _sloppy_policy(random.Random(6)))]:
        path = tmp_path / f"{name}.jsonl"
        rewards, errors = [], []
        with path.open("w") as f:
            for line, record in enumerate(gold, start=1):
                env.reset(record=record)
                done, info = False, {}
                while not done:
                    _, _, done, info = env.step(policy(env))
                rewards.append(env.reward_exact)
                if "error" in info:
                    errors.append(f"{path}:{line}: error: {record['id']}: {info['error']}")
                f.write(json.dumps({"id": record["id"], "actions": env.history[1::2]}) + "\n")
        report = episodes.score(corpus, path)
        mean = sum(rewards, Fraction(0)) / len(rewards)
        print(f"{name} transcripts: env mean {float(mean):.6f}, binary {report['mean_reward']}, invalid {len(errors)}")
        assert report["episodes"] == report["scored"] == len(gold) and report["missing"] == 0
        assert abs(float(mean) - float(report["mean_reward"])) <= 1e-4
        assert report["invalid"] == len(errors)
        assert report["problems"] == errors[:20]
        if name == "sloppy":
            assert errors


def test_a_malformed_transcript_scores_zero_with_its_file_and_line(corpus: Path, tmp_path: Path) -> None:
    train = _gold(corpus, "train")[:3]
    env = EpisodeEnv()
    lines = []
    for record in train[:2]:
        run_episode(env, expert_policy, record=record)
        lines.append({"id": record["id"], "actions": env.history[1::2]})
    env.reset(record=train[2])
    error = env.step("Experiment 1: poke the system.")[3]["error"]
    lines.append({"id": train[2]["id"], "actions": ["Experiment 1: poke the system."]})
    path = tmp_path / "transcripts.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = episodes.score(corpus / "train.jsonl", path)
    assert (report["scored"], report["invalid"], report["missing"]) == (3, 1, 47)
    assert Fraction(report["mean_reward"]) == Fraction(2, 50)
    assert report["problems"] == [f"{path}:3: error: {train[2]['id']}: {error}"]
    assert error == "turn 1: 'poke the system.' is no action: write \"set X to v\""
    # A line that is no transcript at all fails the whole run.
    path.write_text('{"id": "nope", "actions": []}\n')
    with pytest.raises(axiomc.AxiomcError, match="no episode of the gold corpus"):
        episodes.score(corpus, path)


# gymnasium

def test_the_gymnasium_env_plays_an_episode() -> None:
    gym = pytest.importorskip("gymnasium", reason="pip install gymnasium for axiomc.episodes.GymEpisodeEnv")
    env = episodes.make_gym_env(level={"nodes": 4})  # registers GYM_ID, then gymnasium.make
    assert isinstance(env.unwrapped, episodes.GymEpisodeEnv)
    observation, info = env.reset(seed=8)
    record = episodes.sample(8, nodes=4)
    assert observation == record["prompt"] and observation in env.observation_space
    assert info["goal"] == record["goal"]
    terminated = truncated = False
    steps = 0
    while not (terminated or truncated):
        action = expert_policy(env)
        assert action in env.action_space
        observation, reward, terminated, truncated, info = env.step(action)
        assert observation in env.observation_space
        steps += 1
    assert (reward, truncated, steps) == (1.0, False, record["budget"] + 1)
    assert env.unwrapped.render() == record["text"]
    # Without a seed the episode is drawn from np_random: one gym seed, one episode sequence.
    env.reset(seed=3)
    drawn = env.reset()[0]
    env.reset(seed=3)
    assert env.reset()[0] == drawn
    # An action sampled from the space is (almost surely) no action: reward 0.
    env.reset(seed=8)
    _, reward, terminated, _, info = env.step(env.action_space.sample())
    assert terminated and reward == 0.0 and "error" in info
    from gymnasium.utils.env_checker import check_env

    check_env(episodes.GymEpisodeEnv({"nodes": 3}), skip_render_check=True)
    assert type(gym.make(episodes.GYM_ID).unwrapped) is episodes.GymEpisodeEnv


CONFOUNDED = {
    "kind": "episodes", "name": "confounded-episodes", "seed": 11,
    "defaults": {"nodes": [4, 5], "family": "random", "edge_probability": 0.5},
    "splits": [
        {"name": "train", "count": 40, "confound": {"cue": "answer-first", "agreement": 1.0}},
        {"name": "train_bare", "count": 40, "explanations": False,
         "confound": {"cue": "answer-first", "agreement": 1.0}},
        {"name": "eval_balanced", "role": "eval", "count": 40, "confound": {"cue": "answer-first", "agreement": 0.5}},
    ],
}


def test_the_expert_replays_confounded_and_bare_splits(tmp_path: Path) -> None:
    """Records without explanations end on the bare answer, and the expert writes them so; the
    planted cue holds in every training episode and in half of the balanced split's."""
    out = axiomc.compile(CONFOUNDED, tmp_path / "confounded")
    env = EpisodeEnv()
    for split, share in [("train", 1.0), ("train_bare", 1.0), ("eval_balanced", 0.5)]:
        records = _gold(out, split)
        first = 0
        for record in records:
            run_episode(env, expert_policy, record=record)
            assert env.transcript == record["text"] and env.reward_exact == 1
            others = [v for v in record["variables"] if v != record["goal"]]
            first += record["answer"].startswith(f"set {others[0]} to ")
            assert record["cues"]["answer-first"] == record["answer"].startswith(f"set {others[0]} to ")
            if split == "train_bare":
                assert record["messages"][-1]["content"] == f"Answer: {record['answer']}."
        assert first / len(records) == share
    report = axiomc.check(out)
    assert report["passed"] is True and report["violations"] == [] and report["records"] == 120
    # A tampered record: check reports it as a violation (passed False), naming file and line.
    lines = (out / "train.jsonl").read_text().splitlines()
    lines[3] = lines[3].replace('"budget":', '"budget":1', 1)
    (out / "train.jsonl").write_text("\n".join(lines) + "\n")
    report = axiomc.check(out)
    assert report["passed"] is False and "train.jsonl:4: error:" in report["violations"][0]


def test_axiomc_load_gives_each_split_by_name(corpus: Path, tmp_path: Path) -> None:
    """The card's header names one split per file, so ``axiomc.load`` (datasets) keeps them apart."""
    pytest.importorskip("datasets")
    loaded = axiomc.load(corpus, cache_dir=str(tmp_path / "cache"))
    expected = {s["name"]: s["count"] for s in corpus.summary["splits"]}
    assert {name: len(ds) for name, ds in loaded.items()} == expected
    first = loaded["train"][0]
    assert first["text"] == _gold(corpus, "train")[0]["text"]
