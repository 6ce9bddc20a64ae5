#!/usr/bin/env bash
# Train a tiny transformer on an axiomc corpus on CPU and score it with `axiomc eval`.
# Usage: bash examples/train-tiny/run.sh [MINUTES] [extra train.py options]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
minutes="${1:-45}"
shift || true
cd "$root"
bash scripts/setup.sh
swift build -c release --product axiomc
axiomc="$root/.build/release/axiomc"
if [ ! -x "$here/.venv/bin/python" ]; then
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install -q --upgrade pip
    # The CPU build of torch, without CUDA packages.
    "$here/.venv/bin/pip" install -q torch==2.13.0 numpy
fi
corpus="$root/out/train-tiny"
"$axiomc" compile "$here/recipe.yaml" --out "$corpus" --force
run="$root/out/train-tiny-run"
"$here/.venv/bin/python" "$here/train.py" --corpus "$corpus" --out "$run" --minutes "$minutes" "$@"
"$axiomc" eval --gold "$corpus" --predictions "$run/predictions.jsonl" --report "$run/report" | tee "$run/eval.txt"
echo "report: $run/report/index.html"
