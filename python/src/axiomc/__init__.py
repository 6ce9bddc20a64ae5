"""Compile, load, check, evaluate and reward axiomatic-training corpora with the axiomc binary.

Compiling, loading, checking and evaluating run the ``axiomc`` executable bundled in this package
(or the one named by the ``AXIOMC_BIN`` environment variable) and raise :class:`AxiomcError` when
it fails; rewards of records with a label are scored in Python, with the executable's rules.

Modules by concern: ``corpora`` (compile, load, records, check, recipes, tasks),
``evaluation`` (evaluate), ``effects`` (effect: exact causal effects of a binary causal model,
rungs 1–3), ``scoring`` (reward, rewards, extract_answer, strict_answer: scored in
process, as the binary scores), ``procedural`` (create_dataset, score_answer: datasets in memory,
in reasoning-gym's shape), ``curriculum`` (Curriculum: difficulty levels moved by hand or by
rewards), ``parquet`` (to_parquet: an rl corpus as veRL's parquet files; needs pyarrow), ``cladder``
(to_cladder: causal-model records as CLadder's question and model files), and the
trainer adapters ``verl`` (compute_score), ``trl`` (reward, a GRPOTrainer reward function) and
``environments`` (load_environment: a verifiers environment; verifiers is imported only when one
is made); ``episode_environment`` (load_episode_environment: the episodes as a multi-turn
verifiers environment, the episode answering each model turn); ``episodes`` (sample, EpisodeEnv,
expert_policy, random_policy, run_episode, score: experiment-then-exploit episodes as an
environment, with a gymnasium wrapper made on first use); running the binary and Swift's text
rules are private (``_binary``, ``_unicode``). Everything public is re-exported here (the
adapters as modules: ``axiomc.verl.compute_score``, ``axiomc.trl.reward``,
``axiomc.environments.load_environment``, ``axiomc.episode_environment.load_episode_environment``,
``axiomc.episodes.EpisodeEnv``).
"""
from ._binary import AxiomcError, binary, run
from .corpora import check, compile, load, recipes, records, tasks
from .curriculum import Curriculum
from .effects import effect
from .evaluation import evaluate
from .procedural import create_dataset, score_answer
from .parquet import to_parquet
from .cladder import to_cladder
from .scoring import extract_answer, reward, rewards, strict_answer

# The public submodules, bound by the imports above; named again to say they are meant to be.
from . import cladder, corpora, curriculum, effects, environments, episode_environment, episodes, evaluation, parquet, procedural, scoring, trl, verl

__all__ = [
    "AxiomcError",
    "binary",
    "run",
    "compile",
    "load",
    "records",
    "check",
    "recipes",
    "tasks",
    "evaluate",
    "effect",
    "reward",
    "rewards",
    "extract_answer",
    "strict_answer",
    "to_parquet",
    "to_cladder",
    "create_dataset",
    "score_answer",
    "Curriculum",
    "__version__",
]
__version__ = "0.1.0"
