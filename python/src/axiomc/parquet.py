"""veRL's data files: an rl corpus's splits as parquet, one file per split.

A corpus compiled with ``format: rl`` holds veRL's record shape already (``data_source``,
``prompt`` as a list of ``{role, content}`` messages, ``ability``, ``reward_model`` ``{style,
ground_truth}``, ``extra_info``); :func:`to_parquet` writes each split's records, in shard
order, to ``<out_dir>/<split>.parquet`` for ``data.train_files`` / ``data.val_files``.
pyarrow is optional (``pip install axiomc[parquet]``) and imported only here.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ._binary import StrPath

__all__ = ["to_parquet"]


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as e:
        raise ImportError("axiomc.to_parquet needs pyarrow: pip install 'axiomc[parquet]' (or pyarrow)") from e
    return pyarrow, pyarrow.parquet


def _split_records(corpus: Path, split: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for shard in split["shards"]:
        with open(corpus / shard["file"], encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return rows


def to_parquet(corpus_dir: StrPath, out_dir: StrPath | None = None) -> dict[str, Path]:
    """Writes each split of the rl corpus ``corpus_dir`` to ``<out_dir>/<split>.parquet``.

    Columns are the records' top-level fields (veRL's ``data_source``, ``prompt``, ``ability``,
    ``reward_model``, ``extra_info``), nested as structs and lists; reading a file back gives the
    JSONL records (a field some records of a split lack reads back as null in those).

    Args:
        corpus_dir: a corpus compiled with ``format: rl`` (its ``manifest.json`` and shards).
        out_dir: where the files go (default ``<corpus_dir>-parquet`` beside the corpus, which is
            left as compiled); created if missing.

    Returns:
        split name → parquet path, in the manifest's split order.

    Raises:
        ImportError: pyarrow is not installed.
        ValueError: a split is not in the rl layout.
    """
    pa, pq = _pyarrow()
    corpus = Path(corpus_dir)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    out = Path(out_dir) if out_dir is not None else corpus.with_name(corpus.name + "-parquet")
    names = manifest.get("splitOrder") or list(manifest["splits"])
    for name in names:
        layout = manifest["splits"][name].get("format")
        if layout != "rl":
            raise ValueError(f"split {name!r} of {corpus} is in the {layout!r} layout, not rl "
                             "(compile with format: rl, or --format rl)")
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name in names:
        path = out / f"{name}.parquet"
        pq.write_table(pa.Table.from_pylist(_split_records(corpus, manifest["splits"][name])), path)
        written[name] = path
    return written
