"""Builds a tiny, randomly initialized GPT-2 and a tokenizer trained on a corpus, saved locally.

No hub download: the tokenizer is a byte-level BPE trained here on the corpus text, and the
model's weights are random. It exists to exercise the lm-evaluation-harness round trip, not to
score well.
"""
import json
import sys
from pathlib import Path

from tokenizers import ByteLevelBPETokenizer
from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast


def main(corpus: str, out: str):
    texts = []
    for f in sorted(Path(corpus).glob("*/*.jsonl")):
        for line in f.open():
            r = json.loads(line)
            texts.append(r.get("prompt", r["premise"] + " " + r["hypothesis"]) + " " + r["label"])
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(texts, vocab_size=512, min_frequency=1, special_tokens=["<|endoftext|>"])
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    bpe.save(str(out_dir / "tokenizer.json"))
    tok = PreTrainedTokenizerFast(tokenizer_file=str(out_dir / "tokenizer.json"), eos_token="<|endoftext|>",
                                  bos_token="<|endoftext|>", unk_token="<|endoftext|>", pad_token="<|endoftext|>")
    tok.save_pretrained(out_dir)
    config = GPT2Config(vocab_size=len(tok), n_positions=1024, n_embd=64, n_layer=2, n_head=2,
                        bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id)
    GPT2LMHeadModel(config).save_pretrained(out_dir)
    print(f"tiny model: {sum(p.numel() for p in GPT2LMHeadModel(config).parameters())} parameters in {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
