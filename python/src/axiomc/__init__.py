"""Compile, load, check, evaluate and reward axiomatic-training corpora with the axiomc binary.

Every function runs the ``axiomc`` executable bundled in this package (or the one named by the
``AXIOMC_BIN`` environment variable) and raises :class:`AxiomcError` when it fails.

Modules by concern: ``corpora`` (compile, load, records, check, recipes, tasks), ``evaluation``
(evaluate), ``scoring`` (reward, rewards), ``procedural`` (create_dataset, score_answer: datasets
in memory, in reasoning-gym's shape), ``curriculum`` (Curriculum: difficulty levels moved by hand
or by rewards); running the binary is private (``_binary``). Everything public is re-exported
here.
"""
from ._binary import AxiomcError, binary, run
from .corpora import check, compile, load, recipes, records, tasks
from .curriculum import Curriculum
from .evaluation import evaluate
from .procedural import create_dataset, score_answer
from .scoring import reward, rewards

# The public submodules, bound by the imports above; named again to say they are meant to be.
from . import corpora, curriculum, evaluation, procedural, scoring

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
    "reward",
    "rewards",
    "create_dataset",
    "score_answer",
    "Curriculum",
    "__version__",
]
__version__ = "0.1.0"
