"""``axiomc`` on PATH after ``pip install``: runs the bundled binary with the same arguments."""
from __future__ import annotations

import os
import sys

from . import AxiomcError, binary


def main() -> None:
    try:
        exe = binary()
    except AxiomcError as e:
        print(f"Error: {e.message}", file=sys.stderr)
        sys.exit(e.returncode)
    os.execv(exe, [exe, *sys.argv[1:]])
