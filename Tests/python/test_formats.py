"""Interop of the record layouts (`format:`) with the real libraries: `datasets` loads the chat
layout, TRL accepts it (data utilities and one SFTTrainer step on a tiny random GPT-2, nothing
downloaded), and an rl shard round-trips through parquet with its ground truth intact."""
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXIOMC = os.environ.get("AXIOMC", str(ROOT / ".build" / "debug" / "axiomc"))

RECIPE = """\
name: tiny-formats
seed: 3
grammar: en
names: {alphabet: A-Z, length: [1, 2]}
defaults: {shard_size: 50, explanations: true, prompt: true, format: chat,
           axioms: [transitivity], family: flipped-chain, flip_probability: 0.5}
splits:
  - {name: train, role: train, nodes: [3, 5], count: 40}
  - {name: test, role: eval, nodes: [7, 8], count: 20}
"""


def compile_tiny(tmp: Path, *flags: str) -> Path:
    recipe = tmp / "tiny-formats.yaml"
    recipe.write_text(RECIPE)
    out = tmp / ("corpus" + "".join(f.replace("-", "_") for f in flags))
    subprocess.run([AXIOMC, "compile", str(recipe), "--out", str(out), "--jobs", "2", *flags], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    check = subprocess.run([AXIOMC, "check", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    return out


@pytest.fixture(scope="module")
def chat(tmp_path_factory):
    return compile_tiny(tmp_path_factory.mktemp("chat"))


@pytest.fixture(scope="module")
def rl(tmp_path_factory):
    return compile_tiny(tmp_path_factory.mktemp("rl"), "--format", "rl")


def test_chat_layout_loads_with_datasets(chat, tmp_path):
    from datasets import load_dataset

    ds = load_dataset(str(chat), cache_dir=str(tmp_path / "hf-cache"))
    assert ds["train"].num_rows == 40 and ds["test"].num_rows == 20
    f = ds["train"].features
    message = f["messages"].feature  # datasets 4+: List(feature); older: a one-element list
    message = message if hasattr(f["messages"], "feature") else f["messages"][0]
    assert message["role"].dtype == "string" and message["content"].dtype == "string"
    for row in ds["train"]:
        user, assistant = row["messages"]
        # The prompt, its closing "Answer:" cue replaced by the answer format the target ends with.
        instance = row["premise"] + " " + row["hypothesis"]
        assert user["role"] == "user" and user["content"].endswith(
            instance + '\n\nReason step by step, then end your reply with the line "Answer: Yes" or "Answer: No".')
        assert assistant["role"] == "assistant"
        assert assistant["content"] == row["explanation"] + "\nAnswer: " + row["label"]
        assert assistant["content"].splitlines()[-1] == "Answer: " + row["label"]


def tiny_tokenizer(texts, out: Path):
    """A byte-level BPE trained here, with a plain chat template: no hub download."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import PreTrainedTokenizerFast

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(texts, vocab_size=400, min_frequency=1, special_tokens=["<|endoftext|>"])
    out.mkdir(parents=True, exist_ok=True)
    bpe.save(str(out / "tokenizer.json"))
    tok = PreTrainedTokenizerFast(tokenizer_file=str(out / "tokenizer.json"), eos_token="<|endoftext|>",
                                  bos_token="<|endoftext|>", unk_token="<|endoftext|>", pad_token="<|endoftext|>")
    tok.chat_template = ("{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}{{ eos_token }}\n{% endfor %}"
                         "{% if add_generation_prompt %}assistant: {% endif %}")
    return tok


def test_trl_accepts_the_chat_layout(chat, tmp_path, monkeypatch):
    pytest.importorskip("trl")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from datasets import load_dataset
    from transformers import GPT2Config, GPT2LMHeadModel
    from trl import SFTConfig, SFTTrainer
    from trl.data_utils import is_conversational, maybe_apply_chat_template

    ds = load_dataset(str(chat), split="train", cache_dir=str(tmp_path / "hf-cache"))
    # No `prompt`/`completion` columns: TRL treats any dataset with a `prompt` column as
    # prompt-completion data and would train on the bare label.
    assert "prompt" not in ds.column_names and "completion" not in ds.column_names
    row = ds[0]
    assert is_conversational(row)
    assert is_conversational({"messages": row["messages"]})
    tok = tiny_tokenizer([m["content"] for r in ds for m in r["messages"]], tmp_path / "tok")
    text = maybe_apply_chat_template({"messages": row["messages"]}, tok)["text"]
    assert text.startswith("user: " + row["messages"][0]["content"]) and ("Answer: " + row["label"] + "<|endoftext|>") in text

    # One SFT step on a tiny randomly initialized GPT-2, on the dataset with its other columns.
    config = GPT2Config(vocab_size=len(tok), n_positions=512, n_embd=32, n_layer=1, n_head=2,
                        bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id)
    args = SFTConfig(output_dir=str(tmp_path / "sft"), max_steps=1, per_device_train_batch_size=2, report_to=[],
                     save_strategy="no", logging_steps=1, use_cpu=True, max_length=512, dataloader_num_workers=0)
    trainer = SFTTrainer(model=GPT2LMHeadModel(config), args=args, train_dataset=ds, processing_class=tok)
    # It tokenized the conversation, reasoning and answer line included.
    first = tok.decode(trainer.train_dataset[0]["input_ids"])
    assert first.startswith("user: ") and ("Answer: " + ds[0]["label"]) in first
    result = trainer.train()
    assert result.global_step == 1 and result.training_loss > 0


def test_rl_shard_round_trips_through_parquet(rl, chat, tmp_path):
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    manifest = json.loads((rl / "manifest.json").read_text())
    assert manifest["splits"]["train"]["format"] == "rl"
    shard = rl / manifest["splits"]["train"]["shards"][0]["file"]
    table = pj.read_json(shard)
    assert table.column_names == ["data_source", "prompt", "ability", "reward_model", "extra_info"]
    pq.write_table(table, tmp_path / "train.parquet")
    back = pq.read_table(tmp_path / "train.parquet").to_pylist()
    lines = [json.loads(l) for l in shard.read_text().splitlines()]
    assert len(back) == len(lines) == 40
    # The same records as the chat layout of the same recipe and seed, id by id.
    flat = {json.loads(l)["id"]: json.loads(l) for l in (chat / "train").glob("*.jsonl").__next__().read_text().splitlines()}
    for row, line in zip(back, lines):
        info = row["extra_info"]
        assert row["data_source"] == "axiomc/tiny-formats/train" and row["ability"] == "causal-reasoning"
        assert row["reward_model"] == {"style": "rule", "ground_truth": line["reward_model"]["ground_truth"]}
        record = flat[info["id"]]
        assert row["reward_model"]["ground_truth"] == record["label"]
        assert row["prompt"] == [record["messages"][0]]
        assert info["index"] == int(info["id"].split("-")[-1])
        assert (info["premise"], info["hypothesis"], info["graph"]["nodes"]) == (record["premise"], record["hypothesis"], record["graph"]["nodes"])


def test_rl_parquet_with_pandas_one_liner(rl, tmp_path):
    pd = pytest.importorskip("pandas")
    shard = next((rl / "train").glob("*.jsonl"))
    pd.read_json(shard, lines=True).to_parquet(tmp_path / "x.parquet")
    df = pd.read_parquet(tmp_path / "x.parquet")
    truth = [json.loads(l)["reward_model"]["ground_truth"] for l in shard.read_text().splitlines()]
    assert [r["ground_truth"] for r in df["reward_model"]] == truth


def test_reward_strict_and_default(rl):
    shard = next((rl / "train").glob("*.jsonl"))
    record = json.loads(shard.read_text().splitlines()[0])
    label = record["reward_model"]["ground_truth"]
    wrong = "No" if label == "Yes" else "Yes"
    completions = [f"Answer: {label}", f"so the answer is {label.lower()}.", f"Answer: {wrong}", "", f"Reasoning.\nAnswer: {label}\n"]
    lines = "".join(json.dumps({"completion": c, "record": record}) + "\n" for c in completions)
    def run(*flags):
        out = subprocess.run([AXIOMC, "reward", *flags], input=lines, capture_output=True, text=True, check=True)
        return out.stdout.split()
    assert run() == ["1.0", "1.0", "0.0", "0.0", "1.0"]
    assert run("--strict") == ["1.0", "0.0", "0.0", "0.0", "1.0"]


@pytest.mark.parametrize("layout", ["rl", "completion"])
def test_other_layouts_load_with_their_card_features(layout, tmp_path):
    from datasets import load_dataset

    corpus = compile_tiny(tmp_path, "--format", layout)
    ds = load_dataset(str(corpus), cache_dir=str(tmp_path / "hf-cache"))
    assert ds["train"].num_rows == 40 and ds["test"].num_rows == 20
    row = ds["test"][0]
    if layout == "rl":
        assert row["reward_model"]["ground_truth"] in ("Yes", "No")
        assert row["prompt"][0]["role"] == "user" and row["extra_info"]["id"].startswith("test-")
        assert ds["test"].features["extra_info"]["meta"]["branching"].dtype == "float64"
    else:
        assert row["completion"] == row["explanation"] + "\nAnswer: " + row["label"]
