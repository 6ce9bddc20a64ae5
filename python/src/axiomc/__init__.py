"""Compile, load, check, evaluate and reward axiomatic-training corpora with the axiomc binary.

Every function runs the ``axiomc`` executable bundled in this package (or the one named by the
``AXIOMC_BIN`` environment variable) and raises :class:`AxiomcError` when it fails.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence, Union

if TYPE_CHECKING:  # datasets is imported only when load() is called
    from datasets import Dataset, DatasetDict  # type: ignore[import-untyped]

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


def _message(stderr: str) -> str:
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
        raise AxiomcError(_message(done.stderr), done.returncode, command, done.stderr)
    return done


def _flags(overrides: Mapping[str, Any]) -> list[str]:
    """``seed=7, force=True, split=["a", "b"]`` → ``--seed 7 --force --split a --split b``."""
    flags: list[str] = []
    for key, value in overrides.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            flags.append(flag)
        elif isinstance(value, (list, tuple)):
            for v in value:
                flags += [flag, str(v)]
        else:
            flags += [flag, str(value)]
    return flags


def compile(recipe: StrPath = "default", out: StrPath | None = None, **overrides: Any) -> Path:
    """Compiles a recipe (a name such as ``"smoke"``, or a path) into a corpus directory.

    Args:
        recipe: a recipe name (looked up in ``$AXIOMC_PATH``, ``./Corpora``, then built in) or a
            ``.yaml`` path.
        out: the output directory (default ``out/<recipe name>``, relative to the working
            directory).
        **overrides: ``axiomc compile`` options by name: ``seed=7``, ``jobs=2``, ``force=True``,
            ``shard_index=0, num_shards=4``. ``True`` passes a flag, ``None``/``False`` omits it.

    Returns:
        The corpus directory.

    Raises:
        AxiomcError: the recipe was not found or is invalid, the directory holds something
            else, or generation failed.
    """
    args = ["compile", os.fspath(recipe)]
    if out is not None:
        args += ["--out", os.fspath(out)]
    done = run(args + _flags(overrides))
    if out is not None:
        return Path(out)
    # "compiled NAME: ... into DIR (... s)"
    first = done.stdout.splitlines()[0] if done.stdout else ""
    if " into " in first:
        return Path(first.split(" into ", 1)[1].rsplit(" (", 1)[0])
    raise AxiomcError(f"could not read the output directory from: {first!r}", 0, args)


def load(out: StrPath, split: str | None = None, **kwargs: Any) -> "Dataset | DatasetDict":
    """Loads a compiled corpus with Hugging Face ``datasets`` (imported here, not at import time).

    Returns a ``DatasetDict`` of every split, or the ``Dataset`` of ``split``. Extra keyword
    arguments go to ``datasets.load_dataset``.
    """
    try:
        from datasets import load_dataset
    except ImportError as e:
        raise ImportError("axiomc.load needs the 'datasets' package: pip install datasets") from e
    path = Path(out)
    if not (path / "manifest.json").is_file():
        raise AxiomcError(f"{path}: no manifest.json (not a finished axiomc corpus)", 1, ["load", str(path)])
    # The library's default cache is keyed by the directory's name and configuration, not its
    # bytes: a corpus recompiled into the same path would read back the old one. A cache inside
    # the corpus goes with it (a forced recompile empties the directory).
    kwargs.setdefault("cache_dir", str(path / ".axiomc" / "hf-cache"))
    return load_dataset(str(path), split=split, **kwargs)


def records(recipe: StrPath, split: str, n: int | None = None, seed: int | None = None) -> Iterator[dict[str, Any]]:
    """Streams a split's records as dicts without writing a corpus.

    The records are those of the split's shard files, in order (``axiomc compile RECIPE
    --stdout --split SPLIT --limit N``); ``n`` None streams the whole split. Closing the iterator
    early stops axiomc.

    Raises:
        AxiomcError: the recipe or split does not exist, or generation failed (raised when the
            stream ends).
    """
    args = [binary(), "compile", os.fspath(recipe), "--stdout", "--split", split]
    if n is not None:
        args += ["--limit", str(n)]
    if seed is not None:
        args += ["--seed", str(seed)]
    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, text=True)
        finished = False
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                yield json.loads(line)
            finished = True
        finally:
            if not finished and proc.poll() is None:
                proc.kill()
            code = proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if code != 0:
            err.seek(0)
            text = err.read()
            raise AxiomcError(_message(text), code, args, text)


def check(out: StrPath) -> dict[str, Any]:
    """Checks a compiled corpus (``axiomc check --json``) and returns its report.

    The report is axiomc's JSON (``records``, ``checked``, ``violations``) plus ``passed``, true
    when axiomc exited 0. A corpus that fails the check is not an exception: ``passed`` is False
    and ``violations`` lists why.

    Raises:
        AxiomcError: the check could not run (no corpus there, an unreadable manifest).
    """
    done = run(["check", os.fspath(out), "--json"], ok_codes=(0, 1))
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AxiomcError(_message(done.stderr), done.returncode, ["check", os.fspath(out)], done.stderr) from None
    report["passed"] = done.returncode == 0
    return report


Predictions = Union[StrPath, Mapping[str, str], Iterable[Mapping[str, Any]]]


def evaluate(gold: StrPath, predictions: Predictions, split: str | Sequence[str] | None = None,
             allow_missing: bool = False, **options: Any) -> dict[str, Any]:
    """Scores predictions against a compiled corpus (``axiomc eval --json``); returns the
    evaluation of the file (``overall``, ``buckets``, ``missing``, …).

    Args:
        gold: the corpus directory.
        predictions: a file in any format ``axiomc eval`` reads, or a mapping id → model output,
            or dicts with ``id`` and ``prediction``.
        split: split(s) to score against (default: every eval split).
        allow_missing: score a subset instead of failing on gold records without a prediction.
        **options: further ``axiomc eval`` options by name (``format="csv"``).

    Raises:
        AxiomcError: unknown ids, duplicates or missing predictions (unless allowed), a malformed
            line.
    """
    splits = [split] if isinstance(split, str) else list(split or [])
    with tempfile.TemporaryDirectory(prefix="axiomc-eval-") as tmp:
        if isinstance(predictions, (str, os.PathLike)):
            path = os.fspath(predictions)
        else:
            path = os.path.join(tmp, "predictions.jsonl")
            items = ([{"id": k, "prediction": v} for k, v in predictions.items()]
                     if isinstance(predictions, Mapping) else list(predictions))
            with open(path, "w", encoding="utf-8") as f:
                for item in items:
                    f.write(json.dumps({"id": item["id"], "prediction": item["prediction"]}) + "\n")
        args = ["eval", "--gold", os.fspath(gold), "--json", "--predictions", path]
        args += _flags({"split": splits, "allow_missing": allow_missing, **options})
        done = run(args)
    evaluation: dict[str, Any] = json.loads(done.stdout)["evaluations"][0]
    return evaluation


Record = Union[Mapping[str, Any], str]


def rewards(completions: Sequence[str], records: Sequence[Record], gold: StrPath | None = None,
            strict: bool = False) -> list[float]:
    """Rewards of many completions at once (one ``axiomc reward`` run); see :func:`reward`."""
    if len(completions) != len(records):
        raise ValueError(f"{len(completions)} completions for {len(records)} records")
    lines = []
    for completion, record in zip(completions, records):
        if isinstance(record, str):
            if gold is None:
                raise ValueError("a record given by id needs gold=CORPUS")
            lines.append(json.dumps({"completion": completion, "id": record}))
        else:
            # Only the label decides; a record without one goes whole, for axiomc's error.
            # (An rl record's label is its reward_model.ground_truth.)
            if "label" in record:
                sent = {"label": record["label"]}
            elif "reward_model" in record:
                sent = {"reward_model": record["reward_model"], "extra_info": record.get("extra_info", {})}
            else:
                sent = dict(record)
            lines.append(json.dumps({"completion": completion, "record": sent}))
    if not lines:
        return []
    args = ["reward"] + (["--gold", os.fspath(gold)] if gold is not None else []) + (["--strict"] if strict else [])
    done = run(args, input="\n".join(lines) + "\n")
    return [float(x) for x in done.stdout.split()]


def reward(completion: str, record: Record, gold: StrPath | None = None, strict: bool = False) -> float:
    """1.0 when the final answer in ``completion`` is the record's gold label, else 0.0.

    The answer is read exactly as ``axiomc eval`` reads it (the last ``<answer>…</answer>`` span;
    emphasis, quotes and a leading ``Answer:`` dropped; then ``yes``/``no``, else the last whole
    word yes or no), so the mean reward equals eval's accuracy on the same outputs.

    Args:
        completion: the model's output.
        record: a corpus record (a dict with ``label``), or a record id together with ``gold``.
        gold: the corpus to look ids up in.
        strict: 1.0 only when the last non-empty line is exactly ``Answer: Yes``/``Answer: No``
            naming the gold (``axiomc reward --strict``).
    """
    return rewards([completion], [record], gold, strict)[0]
