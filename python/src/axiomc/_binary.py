"""Finding and running the axiomc executable; the error every function raises when it fails."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any, Mapping, Sequence, Union

StrPath = Union[str, "os.PathLike[str]"]


class AxiomcError(RuntimeError):
    """axiomc failed: ``message`` is what it wrote to stderr, ``returncode`` its exit code."""

    def __init__(self, message: str, returncode: int, command: Sequence[str], stderr: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.returncode = returncode
        self.command = list(command)
        self.stderr = stderr

    def __str__(self) -> str:
        return f"{self.message} (exit code {self.returncode})"


def binary() -> str:
    """The path of the axiomc executable: ``$AXIOMC_BIN``, else the one bundled in the wheel."""
    override = os.environ.get("AXIOMC_BIN")
    if override:
        return override
    path = Path(__file__).resolve().parent / "bin" / "axiomc"
    if not path.is_file():
        raise AxiomcError(f"no axiomc binary at {path} (install a platform wheel, or set AXIOMC_BIN)", 127, [str(path)])
    if not os.access(path, os.X_OK):
        try:
            path.chmod(path.stat().st_mode | 0o111)
        except OSError as e:
            raise AxiomcError(f"{path} is not executable and cannot be made so: {e}", 126, [str(path)]) from e
    return str(path)


def message(stderr: str) -> str:
    """axiomc's error message from its stderr, without the ``Error: ``/``error: `` prefix."""
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    text = "\n".join(lines) if lines else "axiomc failed without a message"
    # Usage errors come from ArgumentParser ("Error: ..."), axiomc's own as "error: ..." or
    # "file:line:col: error: ...".
    for prefix in ("Error: ", "error: "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def run(args: Sequence[str], input: str | None = None, cwd: StrPath | None = None,
        ok_codes: Sequence[int] = (0,)) -> subprocess.CompletedProcess[str]:
    """Runs ``axiomc ARGS`` and returns the finished process (text mode, output captured).

    Raises:
        AxiomcError: the exit code is not in ``ok_codes``; carries axiomc's stderr message.
    """
    command = [binary(), *map(str, args)]
    try:
        done = subprocess.run(command, input=input, cwd=cwd, capture_output=True, text=True)
    except OSError as e:
        raise AxiomcError(f"cannot run {command[0]}: {e}", 127, command) from e
    if done.returncode not in ok_codes:
        raise AxiomcError(message(done.stderr), done.returncode, command, done.stderr)
    return done


def flags(overrides: Mapping[str, Any]) -> list[str]:
    """``seed=7, force=True, split=["a", "b"]`` → ``--seed 7 --force --split a --split b``."""
    out: list[str] = []
    for key, value in overrides.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            out.append(flag)
        elif isinstance(value, (list, tuple)):
            for v in value:
                out += [flag, str(v)]
        else:
            out += [flag, str(value)]
    return out
