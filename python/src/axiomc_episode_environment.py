"""verifiers' name for axiomc's multi-turn episodes environment (id ``axiomc-episode-environment``).

verifiers imports a taskset by id as a top-level module, in whatever process runs it (``vf eval``,
its environment servers' workers); this module is :mod:`axiomc.episode_environment` itself under
that name, so the id resolves in a fresh process too.
"""
import sys

import axiomc.episode_environment

sys.modules[__name__] = axiomc.episode_environment
