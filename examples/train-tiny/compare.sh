#!/usr/bin/env bash
# Issue #16's experiment: one model trained on the old, uncontrolled training split and one on a
# controlled, twinned one, at the same budget, side by side (one core each), both scored by
# `axiomc eval` on the same controlled eval splits (byte-identical in the two corpora).
# Usage: bash examples/train-tiny/compare.sh [MINUTES] [extra train.py options]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
minutes="${1:-20}"
shift || true
cd "$root"
bash scripts/setup.sh
swift build -c release --product axiomc
axiomc="$root/.build/release/axiomc"
if [ ! -x "$here/.venv/bin/python" ]; then
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install -q --upgrade pip
    "$here/.venv/bin/pip" install -q torch==2.13.0 numpy
fi
for v in uncontrolled controlled; do
    "$axiomc" compile "$here/recipe-$v.yaml" --out "$root/out/tt-$v" --force
done
for s in eval_flipped_7_12 eval_chain_7_12 eval_branching; do
    cmp "$root/out/tt-uncontrolled/$s/$s-00000-of-00001.jsonl" "$root/out/tt-controlled/$s/$s-00000-of-00001.jsonl"
done
for v in uncontrolled controlled; do
    "$here/.venv/bin/python" "$here/train.py" --corpus "$root/out/tt-$v" --out "$root/out/tt-$v-run" \
        --minutes "$minutes" --threads 1 --question-first --lm-weight 1 "$@" > "$root/out/tt-$v-train.log" 2>&1 &
done
wait
for v in uncontrolled controlled; do
    "$axiomc" eval --gold "$root/out/tt-controlled" --predictions "$root/out/tt-$v-run/predictions.jsonl" \
        --json > "$root/out/tt-$v-eval.json"
    "$axiomc" eval --gold "$root/out/tt-controlled" --predictions "$root/out/tt-$v-run/predictions.jsonl" | tee "$root/out/tt-$v-eval.txt"
done
"$axiomc" eval --gold "$root/out/tt-controlled" --predictions "$root/out/tt-uncontrolled-run/predictions.jsonl" \
    "$root/out/tt-controlled-run/predictions.jsonl" --compare | tee "$root/out/tt-compare.txt"
