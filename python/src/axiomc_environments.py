"""verifiers' name for axiomc's environments (taskset id ``axiomc-environments``).

verifiers imports a taskset by id as a top-level module, in whatever process runs it (``vf eval``,
its environment servers' workers); this module is :mod:`axiomc.environments` itself under that
name, so the id resolves in a fresh process too.
"""
import sys

import axiomc.environments

sys.modules[__name__] = axiomc.environments
