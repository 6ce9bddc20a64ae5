"""Corpora: compiling a recipe, loading, streaming and checking what it produces."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Union

from ._binary import AxiomcError, StrPath, binary, flags, message, run

if TYPE_CHECKING:  # datasets is imported only when load() is called
    from datasets import Dataset, DatasetDict  # type: ignore[import-untyped]

__all__ = ["CompiledCorpus", "Recipe", "compile", "load", "records", "check", "manifest_digest", "recipes", "tasks"]

# A recipe: a name (``"smoke"``), a ``.yaml`` path, or the recipe itself as a dict.
Recipe = Union[StrPath, Mapping[str, Any]]


@contextlib.contextmanager
def _recipe_file(recipe: Recipe) -> Iterator[str]:
    """The recipe as something ``axiomc compile`` takes: a name or path as given, a dict written
    (as JSON, which is YAML) to a temporary ``<name>.yaml`` that lives as long as the context."""
    if not isinstance(recipe, Mapping):
        yield os.fspath(recipe)
        return
    name = str(recipe.get("name", "recipe"))
    with tempfile.TemporaryDirectory(prefix="axiomc-recipe-") as tmp:
        path = Path(tmp) / f"{name}.yaml"
        path.write_text(json.dumps(recipe), encoding="utf-8")
        yield str(path)


def recipes() -> list[dict[str, str]]:
    """The recipes a name resolves to (``axiomc recipes --json``): each ``name``, ``description``,
    ``source`` (the file, or ``embedded:NAME.yaml`` for one built into axiomc) and ``kind``
    (``questions``, or ``episodes`` for experiment-then-exploit episodes)."""
    return json.loads(run(["recipes", "--json"]).stdout)


def tasks() -> list[dict[str, Any]]:
    """The tasks (``axiomc tasks --json``): each ``name``, ``summary``, ``premise``,
    ``question_types`` and ``difficulty`` (``family``, ``levels``, ``presets`` and, per attribute,
    its value at each level)."""
    return json.loads(run(["tasks", "--json"]).stdout)


class CompiledCorpus(type(Path())):  # type: ignore[misc]  # PosixPath (WindowsPath on Windows)
    """The directory :func:`compile` wrote: a :class:`pathlib.Path`, with what axiomc reported.

    ``summary`` is ``axiomc compile --json``'s object: ``recipe``, ``out`` (absolute), ``records``,
    ``bytes``, ``seconds`` and ``splits`` (each ``name``, ``role``, ``records``, ``shards``,
    ``labels`` ``{"Yes": n, "No": n}``). A fan-out worker that did not write the manifest gets
    ``{"recipe", "out", "worker", "workers", "complete": false}``. Paths derived from this one
    (``corpus / "manifest.json"``, ``corpus.parent``) have ``summary`` None.
    """

    summary: "dict[str, Any] | None" = None


def compile(recipe: Recipe = "default", out: StrPath | None = None, *, scale: float | None = None,
            **overrides: Any) -> CompiledCorpus:
    """Compiles a recipe (a name such as ``"smoke"``, a path, or a dict) into a corpus directory.

    Args:
        recipe: a recipe name (looked up in ``$AXIOMC_PATH``, ``./Corpora``, then built in), a
            ``.yaml`` path, or the recipe as a dict (the YAML's keys; docs/recipes.md).
        out: the output directory (default ``out/<recipe name>``, relative to the working
            directory).
        scale: multiply every split's record count by this factor, 0 < scale <= 1 (rounded up):
            a quick corpus of the same shape (``--scale``).
        **overrides: ``axiomc compile`` options by name: ``seed=7``, ``jobs=2``, ``force=True``,
            ``format="rl"``, ``shard_index=0, num_shards=4``. ``True`` passes a flag,
            ``None``/``False`` omits it.

    Returns:
        The corpus directory (``out`` as given, else the absolute directory axiomc chose), a
        :class:`pathlib.Path` whose ``summary`` holds axiomc's report (``compile --json``).

    Raises:
        AxiomcError: the recipe was not found or is invalid, the directory holds something
            else, or generation failed.
    """
    overrides.pop("json", None)  # always passed: the summary is read from it
    with _recipe_file(recipe) as path:
        args = ["compile", path]
        if out is not None:
            args += ["--out", os.fspath(out)]
        elif isinstance(recipe, Mapping):
            # axiomc's default, out/<name>, relative to the working directory, not the temporary file.
            args += ["--out", os.path.join("out", str(recipe.get("name", "recipe")))]
        done = run(args + flags({"scale": scale, **overrides}) + ["--json"])
    try:
        summary: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AxiomcError(f"compile --json printed no JSON: {done.stdout[:200]!r}", 0, [binary(), *args]) from None
    corpus = CompiledCorpus(out if out is not None else summary["out"])
    corpus.summary = summary
    return corpus


def manifest_digest(out: StrPath) -> str:
    """The sha256 (hex) of a corpus's ``manifest.json``: it changes whenever the corpus does.

    Raises:
        AxiomcError: no ``manifest.json`` there (not a finished axiomc corpus).
    """
    manifest = Path(out) / "manifest.json"
    try:
        data = manifest.read_bytes()
    except OSError as e:
        raise AxiomcError(f"{Path(out)}: no manifest.json (not a finished axiomc corpus)", 1,
                          ["load", os.fspath(out)]) from e
    return hashlib.sha256(data).hexdigest()


def load(out: StrPath, split: str | None = None, **kwargs: Any) -> "Dataset | DatasetDict":
    """Loads a compiled corpus with Hugging Face ``datasets`` (imported here, not at import time).

    Returns a ``DatasetDict`` of every split, or the ``Dataset`` of ``split``. Extra keyword
    arguments go to ``datasets.load_dataset``.

    Nothing is written into the corpus directory. The Arrow cache goes to
    ``CACHE/axiomc/<manifest sha256>``, where CACHE is ``cache_dir`` if given, else the library's
    default (``$HF_DATASETS_CACHE``, ``~/.cache/huggingface/datasets``): a corpus recompiled into
    the same directory gets a new manifest, hence a new cache, never the old corpus's rows.
    """
    try:
        import datasets
    except ImportError as e:
        raise ImportError("axiomc.load needs the 'datasets' package: pip install datasets") from e
    path = Path(out)
    digest = manifest_digest(path)
    base = kwargs.pop("cache_dir", None) or datasets.config.HF_DATASETS_CACHE
    kwargs["cache_dir"] = os.path.join(os.fspath(base), "axiomc", digest)
    return datasets.load_dataset(str(path), split=split, **kwargs)


def records(recipe: Recipe, split: str, n: int | None = None, seed: int | None = None,
            format: str | None = None) -> Iterator[dict[str, Any]]:
    """Streams a split's records as dicts without writing a corpus.

    The records are those of the split's shard files, in order (``axiomc compile RECIPE
    --stdout --split SPLIT --limit N``); ``n`` None streams the whole split. ``format`` writes
    them in another layout (``records``, ``chat``, ``completion``, ``rl``; default: the
    recipe's). ``recipe`` may be a name, a path or a dict. Closing the iterator early stops axiomc.

    Raises:
        AxiomcError: the recipe or split does not exist, or generation failed (raised when the
            stream ends).
    """
    with _recipe_file(recipe) as path:
        yield from _stream(path, split, n, seed, format)


def _stream(path: str, split: str, n: int | None, seed: int | None, format: str | None) -> Iterator[dict[str, Any]]:
    args = [binary(), "compile", path, "--stdout", "--split", split]
    if n is not None:
        args += ["--limit", str(n)]
    if seed is not None:
        args += ["--seed", str(seed)]
    if format is not None:
        args += ["--format", format]
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
            raise AxiomcError(message(text), code, args, text)


def check(out: StrPath) -> dict[str, Any]:
    """Checks a compiled corpus (``axiomc check --json``) and returns its report.

    The report is axiomc's JSON (``records``, ``checked``, ``violations``, and ``textProbe``: the
    bag-of-words baseline's ``accuracy`` and ``records`` per split and task) plus ``passed``, true
    when axiomc exited 0. A corpus that fails the check is not an exception: ``passed`` is False
    and ``violations`` lists why.

    Raises:
        AxiomcError: the check could not run (no corpus there, an unreadable manifest).
    """
    done = run(["check", os.fspath(out), "--json"], ok_codes=(0, 1))
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AxiomcError(message(done.stderr), done.returncode, ["check", os.fspath(out)], done.stderr) from None
    report["passed"] = done.returncode == 0
    return report
