"""Compile, load, check, evaluate and reward axiomatic-training corpora with the axiomc binary.

Every function runs the ``axiomc`` executable bundled in this package (or the one named by the
``AXIOMC_BIN`` environment variable) and raises :class:`AxiomcError` when it fails.

Modules by concern: ``corpora`` (compile, load, records, check), ``evaluation`` (evaluate),
``scoring`` (reward, rewards); running the binary is private (``_binary``). Everything public is
re-exported here.
"""
from ._binary import AxiomcError, binary, run
from .corpora import check, compile, load, records
from .evaluation import evaluate
from .scoring import reward, rewards

# The public submodules, bound by the imports above; named again to say they are meant to be.
from . import corpora, evaluation, scoring

__all__ = [
    "AxiomcError",
    "binary",
    "run",
    "compile",
    "load",
    "records",
    "check",
    "evaluate",
    "reward",
    "rewards",
    "__version__",
]
__version__ = "0.1.0"
