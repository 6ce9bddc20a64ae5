#!/usr/bin/env bash
# lm-evaluation-harness round trip: compile the smoke corpus, run its generated task YAML under
# `lm_eval` with a tiny random model (no hub downloads), then score the --log_samples output with
# `axiomc eval`. Usage: bash examples/lm-eval/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
bash scripts/setup.sh
swift build -c release --product axiomc
axiomc="$root/.build/release/axiomc"
if [ ! -x "$here/.venv/bin/lm_eval" ]; then
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install -q --upgrade pip
    "$here/.venv/bin/pip" install -q torch==2.13.0 lm-eval transformers tokenizers accelerate
fi
corpus="$root/out/lm-eval-smoke"
work="$root/out/lm-eval-run"
rm -rf "$work"
"$axiomc" compile smoke --out "$corpus" --force
"$here/.venv/bin/python" "$here/make_tiny_model.py" "$corpus" "$work/model"
# The task files name their data relative to the corpus directory, so run from there.
task=axiomc_smoke_eval_long_chains
(cd "$corpus" && HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 "$here/.venv/bin/lm_eval" \
    --model hf --model_args "pretrained=$work/model,tokenizer=$work/model" --device cpu --batch_size 16 \
    --include_path tasks --tasks "$task" --log_samples --output_path "$work/results")
samples=$(find "$work/results" -name "samples_${task}_*.jsonl" | head -n 1)
echo "lm_eval samples: $samples"
"$axiomc" eval --gold "$corpus" --split eval_long_chains --predictions "$samples" | tee "$work/eval.txt"
