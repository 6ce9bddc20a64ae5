"""Train a small decoder-only transformer on an axiomc corpus and write predictions for `axiomc eval`.

The model reads the premise and question as tokens and predicts the label token (Yes/No) after
them. Tokenization: keywords and punctuation are whole tokens; names are one token each
(`--names token`, default) or split into characters (`--names chars`, as in the paper).
Positions: none (NoPE, the causal mask alone orders tokens) or rotary (`--pos rope`).
"""
import argparse
import json
import math
import random
import re
import time
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

WORD = re.compile(r"[A-Za-z0-9_-]+|[^\sA-Za-z0-9_-]")


def read_split(corpus: Path, split: str):
    rows = []
    for f in sorted((corpus / split).glob(f"{split}-*.jsonl")):
        with f.open() as h:
            rows.extend(json.loads(line) for line in h)
    return rows


class Tokenizer:
    def __init__(self, rows, names_mode, question_first=False):
        self.names_mode = names_mode
        self.question_first = question_first
        self.vocab = {"<pad>": 0, "<label>": 1, "Yes": 2, "No": 3}
        for r in rows:
            for t in self.tokens(r):
                self.vocab.setdefault(t, len(self.vocab))

    def tokens(self, r):
        names = set(r["graph"]["nodes"])
        out = []
        text = r["hypothesis"] + " " + r["premise"] if self.question_first else r["premise"] + " " + r["hypothesis"]
        for w in WORD.findall(text):
            if w in names:
                out.extend(["<name>" + w] if self.names_mode == "token" else ["<ch>" + c for c in w])
            else:
                out.append(w)
        return out + ["<label>"]

    def encode(self, r):
        return [self.vocab.get(t, 0) for t in self.tokens(r)]


def rope(x):
    # x: (batch, heads, time, dim); rotate pairs by position-dependent angles.
    b, h, t, d = x.shape
    half = d // 2
    freq = 1.0 / (10000 ** (torch.arange(half, dtype=torch.float32, device=x.device) / half))
    angles = torch.arange(t, dtype=torch.float32, device=x.device)[:, None] * freq[None, :]
    cos, sin = angles.cos(), angles.sin()
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class Block(nn.Module):
    def __init__(self, width, heads, pos):
        super().__init__()
        self.heads, self.pos = heads, pos
        self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x):
        b, t, w = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, t, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4)
        if self.pos == "rope":
            q, k = rope(q), rope(k)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.out(a.transpose(1, 2).reshape(b, t, w))
        return x + self.mlp(self.norm2(x))


class Model(nn.Module):
    def __init__(self, vocab, width, layers, heads, pos):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.blocks = nn.ModuleList(Block(width, heads, pos) for _ in range(layers))
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab, bias=False)

    def forward(self, ids, last, all_logits=False):
        x = self.embed(ids)
        for blk in self.blocks:
            x = blk(x)
        if all_logits:
            return self.head(self.norm(x))
        h = self.norm(x[torch.arange(ids.shape[0], device=ids.device), last])
        return self.head(h)


def batches(encoded, labels, size, rng):
    order = list(range(len(encoded)))
    rng.shuffle(order)
    for i in range(0, len(order) - size + 1, size):
        idx = order[i:i + size]
        yield pad([encoded[j] for j in idx]), torch.tensor([labels[j] for j in idx], device=DEVICE)


DEVICE = torch.device("cpu")


def pad(seqs):
    n = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), n, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
    return ids.to(DEVICE), torch.tensor([len(s) - 1 for s in seqs], device=DEVICE)


def predict(model, tok, rows, batch=256):
    model.eval()
    yes, no = tok.vocab["Yes"], tok.vocab["No"]
    out = []
    with torch.no_grad():
        for i in range(0, len(rows), batch):
            chunk = rows[i:i + batch]
            (ids, last) = pad([tok.encode(r) for r in chunk])
            logits = model(ids, last)
            out.extend("Yes" if a > b else "No" for a, b in zip(logits[:, yes].tolist(), logits[:, no].tolist()))
    model.train()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=45)
    ap.add_argument("--max-steps", type=int, default=10**9)
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--pos", choices=["none", "rope"], default="none")
    ap.add_argument("--names", choices=["token", "chars"], default="token")
    ap.add_argument("--question-first", action="store_true", help="put the question before the premise")
    ap.add_argument("--lm-weight", type=float, default=0.0, help="weight of an auxiliary next-token loss")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=500)
    ap.add_argument("--curriculum", type=int, default=3000, help="steps per added chain length (0: off)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cpu", help="cpu, cuda or auto (cuda when available)")
    args = ap.parse_args()

    global DEVICE
    DEVICE = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else
                          ("cpu" if args.device == "auto" else args.device))
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    corpus, out = Path(args.corpus), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((corpus / "manifest.json").read_text())
    train = read_split(corpus, "train")
    evals = [s for s in manifest["splitOrder"] if manifest["splits"][s]["role"] == "eval"]
    eval_rows = {s: read_split(corpus, s) for s in evals}
    tok = Tokenizer(train + [r for rows in eval_rows.values() for r in rows], args.names, args.question_first)
    model = Model(len(tok.vocab), args.width, args.layers, args.heads, args.pos).to(DEVICE)
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    yes_id, no_id = tok.vocab["Yes"], tok.vocab["No"]

    by_nodes = {}
    for r in train:
        by_nodes.setdefault(r["meta"]["nodes"], []).append(r)
    encoded = {n: [tok.encode(r) for r in rows] for n, rows in by_nodes.items()}
    labels = {n: [yes_id if r["label"] == "Yes" else no_id for r in rows] for n, rows in by_nodes.items()}
    sizes = sorted(by_nodes)
    held_out = [r for s in evals for r in eval_rows[s][:300]]

    log = (out / "training.csv").open("w")
    log.write("step,seconds,loss,train_acc,heldout_acc\n")
    start, step, recent, recent_acc = time.time(), 0, [], []
    print(f"model: {params} parameters, vocab {len(tok.vocab)}, {len(train)} training records", flush=True)
    done = False
    while not done:
        # Curriculum: chains of the shortest size first, one more size every `curriculum` steps.
        allowed = sizes if args.curriculum == 0 else sizes[:1 + step // args.curriculum]
        enc = [e for n in allowed for e in encoded[n]]
        lab = [l for n in allowed for l in labels[n]]
        for (ids, last), y in batches(enc, lab, args.batch, rng):
            lr = args.lr * min(1.0, (step + 1) / args.warmup)
            for g in opt.param_groups:
                g["lr"] = lr
            if args.lm_weight > 0:
                # Next-token loss on every premise and question token as well: it rewards copying
                # names seen earlier, which is the skill the label needs, and breaks the plateau.
                full = model(ids, last, all_logits=True)
                logits = full[torch.arange(ids.shape[0], device=ids.device), last]
                target = ids[:, 1:].clone()
                mask = torch.arange(target.shape[1], device=ids.device)[None, :] >= last[:, None]
                target[mask] = -100
                lm = F.cross_entropy(full[:, :-1].reshape(-1, full.shape[-1]), target.reshape(-1), ignore_index=-100)
                loss = F.cross_entropy(logits, y) + args.lm_weight * lm
            else:
                logits = model(ids, last)
                loss = F.cross_entropy(logits, y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            recent.append(loss.item())
            recent_acc.append((logits[:, [no_id, yes_id]].argmax(1) == (y == yes_id).long()).float().mean().item())
            if step % 250 == 0:
                preds = predict(model, tok, held_out)
                acc = sum(p == r["label"] for p, r in zip(preds, held_out)) / len(held_out)
                elapsed = time.time() - start
                line = f"{step},{elapsed:.0f},{sum(recent)/len(recent):.4f},{sum(recent_acc)/len(recent_acc):.3f},{acc:.3f}"
                log.write(line + "\n")
                log.flush()
                print(f"step {step} ({elapsed:.0f}s, sizes ≤{allowed[-1]}): loss {sum(recent)/len(recent):.4f} "
                      f"train acc {sum(recent_acc)/len(recent_acc):.3f} held-out acc {acc:.3f}", flush=True)
                recent, recent_acc = [], []
            if time.time() - start > args.minutes * 60 or step >= args.max_steps:
                done = True
                break
            if args.curriculum and step % args.curriculum == 0 and len(allowed) < len(sizes):
                break  # widen the curriculum
    elapsed = time.time() - start
    with (out / "predictions.jsonl").open("w") as h:
        for s in evals:
            for r, p in zip(eval_rows[s], predict(model, tok, eval_rows[s])):
                h.write(json.dumps({"id": r["id"], "prediction": p}) + "\n")
    (out / "run.json").write_text(json.dumps({
        "parameters": params, "steps": step, "seconds": round(elapsed), "args": vars(args),
        "threads": args.threads, "torch": torch.__version__}, indent=2) + "\n")
    print(f"trained {step} steps in {elapsed:.0f}s; predictions in {out / 'predictions.jsonl'}", flush=True)


if __name__ == "__main__":
    main()
