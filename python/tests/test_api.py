"""The package's public surface: what ``import axiomc`` offers (names, and the submodules, the
verifiers environment among them without importing verifiers), and the gold labels rewards read."""
from __future__ import annotations

import inspect

import pytest

import axiomc
from axiomc.scoring import gold_label

PUBLIC_SUBMODULES = {"cladder", "corpora", "curriculum", "effects", "environments", "episode_environment", "episodes", "evaluation", "parquet", "procedural", "scoring", "trl", "verl"}


def test_dir_lists_exactly_the_public_names_and_submodules() -> None:
    public = {n for n in dir(axiomc) if not n.startswith("_")}
    assert public == (set(axiomc.__all__) - {"__version__"}) | PUBLIC_SUBMODULES
    for name in axiomc.__all__:
        assert hasattr(axiomc, name), name


def test_import_axiomc_does_not_import_verifiers() -> None:
    # axiomc.environments is a public submodule, but verifiers loads only when an environment is made.
    import subprocess
    import sys

    code = "import sys, axiomc, axiomc.environments, axiomc.episode_environment; print('verifiers' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_import_axiomc_does_not_import_gymnasium() -> None:
    # axiomc.episodes is a public submodule; gymnasium loads only when GymEpisodeEnv is first used.
    import subprocess
    import sys

    code = "import sys, axiomc, axiomc.episodes; print('gymnasium' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_each_function_lives_in_the_module_of_its_concern() -> None:
    where = {"compile": "corpora", "load": "corpora", "records": "corpora", "check": "corpora",
             "evaluate": "evaluation", "effect": "effects", "reward": "scoring", "rewards": "scoring",
             "create_dataset": "procedural", "score_answer": "procedural",
             "extract_answer": "scoring", "strict_answer": "scoring", "to_parquet": "parquet", "to_cladder": "cladder",
             "recipes": "corpora", "tasks": "corpora", "Curriculum": "curriculum",
             "binary": "_binary", "run": "_binary", "AxiomcError": "_binary"}
    for name, module in where.items():
        assert getattr(axiomc, name).__module__ == f"axiomc.{module}", name
    # axiomc.rewards is the function, not the module of the same concern.
    assert callable(axiomc.rewards) and axiomc.rewards is axiomc.scoring.rewards


@pytest.mark.parametrize("name, parameters", [
    ("compile", "(recipe='default', out=None, *, scale=None, **overrides)"),  # scale: new, keyword only
    ("load", "(out, split=None, **kwargs)"),
    ("records", "(recipe, split, n=None, seed=None, format=None)"),
    ("check", "(out)"),
    ("evaluate", "(gold, predictions, split=None, allow_missing=False, **options)"),
    ("reward", "(completion, record, gold=None, strict=False)"),
    ("rewards", "(completions, records, gold=None, strict=False)"),
    ("binary", "()"),
    ("run", "(args, input=None, cwd=None, ok_codes=(0,))"),
])
def test_signatures_are_those_of_the_single_module_package(name: str, parameters: str) -> None:
    signature = inspect.signature(getattr(axiomc, name))
    bare = signature.replace(parameters=[p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()],
                             return_annotation=inspect.Signature.empty)
    assert str(bare) == parameters


@pytest.mark.parametrize("record, label", [
    ({"label": "Yes"}, "Yes"),
    ({"label": "No"}, "No"),
    ({"label": "Yes."}, "Yes"),           # CLEAR's wording
    ({"label": " no. "}, "No"),
    ({"label": "YES"}, "Yes"),
    ({"reward_model": {"style": "rule", "ground_truth": "No."}, "extra_info": {"id": "t-0"}}, "No"),
    ({"reward_model": {"style": "rule", "ground_truth": "Yes"}}, "Yes"),
    ({"premise": "no label here"}, None),
    ({"label": "Maybe"}, None),
    ({"label": "Yes.."}, None),
    ({"label": 1}, None),
])
def test_gold_label_reads_every_layout_and_wording(record: dict, label: str | None) -> None:
    assert gold_label(record) == label


def test_reward_takes_clear_and_rl_wordings_of_the_label() -> None:
    clear = {"id": "test-000000000", "label": "Yes.", "premise": "p", "hypothesis": "h"}
    rl = {"prompt": [{"role": "user", "content": "q"}], "reward_model": {"style": "rule", "ground_truth": "No."},
          "extra_info": {"id": "test-000000001"}}
    assert axiomc.reward("The answer is yes.", clear) == 1.0
    assert axiomc.reward("Answer: No", clear) == 0.0
    assert axiomc.reward("Reasoning.\nAnswer: No", rl, strict=True) == 1.0
    assert axiomc.rewards(["no", "yes", "Answer: Yes"], [rl, rl, clear], strict=False) == [1.0, 0.0, 1.0]


def test_verifiers_finds_the_environments_by_their_top_level_name() -> None:
    import axiomc_environments
    import axiomc_episode_environment

    assert axiomc_environments is axiomc.environments
    assert axiomc_episode_environment is axiomc.episode_environment


def test_the_episode_environment_id_resolves_in_a_fresh_process() -> None:
    """verifiers' workers import the taskset by its top-level name in a process of their own."""
    import subprocess
    import sys

    code = "import axiomc_episode_environment as m, axiomc; assert m is axiomc.episode_environment"
    subprocess.run([sys.executable, "-c", code], check=True)
