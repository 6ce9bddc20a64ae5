"""The learnability check's model: a small decoder-only transformer without position encoding
(NoPE: the causal mask alone orders tokens), its tokenizer, one arm's training loop, and scoring
(the answer token's logits, or greedy decoding of a derivation with a key-value cache).

Sequences, by layout (question first, then premise; names are whole tokens):
  answer          question premise <ans> LABEL <eos>
  answer-explain  question premise <ans> LABEL <why> DERIVATION <eos>   (the "soft" objective)
  explain-answer  question premise <why> DERIVATION <ans> LABEL <eos>
Loss: the mean over the target tokens after the prompt (the label, and the derivation where the
layout has one), plus `lm_weight` times the mean next-token loss over the prompt.
Order: every epoch shuffled (`Shuffled`), or an `order` object with the same `take` (a curriculum).
"""
import json
import random
import re
import time
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

WORD = re.compile(r"[A-Za-z0-9_-]+|[^\sA-Za-z0-9_-]")
SPECIAL = ["<pad>", "<unk>", "<ans>", "<why>", "<eos>", "Yes", "No"]
LAYOUTS = ("answer", "answer-explain", "explain-answer")


def read_split(corpus: Path, split: str):
    rows = []
    for f in sorted((corpus / split).glob(f"{split}-*.jsonl")):
        with f.open() as h:
            rows.extend(json.loads(line) for line in h)
    return rows


class Tokenizer:
    """Words and punctuation as tokens; the vocabulary grows only while `grow` is set."""

    def __init__(self):
        self.vocab = {t: i for i, t in enumerate(SPECIAL)}

    def ids(self, text, grow=False):
        out = []
        for w in WORD.findall(text):
            i = self.vocab.get(w)
            if i is None:
                if grow:
                    i = self.vocab[w] = len(self.vocab)
                else:
                    i = self.vocab["<unk>"]
            out.append(i)
        return out

    def __getitem__(self, token):
        return self.vocab[token]

    def prompt(self, r, grow=False):
        return self.ids(r["hypothesis"] + " " + r["premise"], grow)

    def example(self, r, layout, grow=False):
        """Token ids and, per position, what predicting that token is: 0 nothing (the first token,
        and the <ans> or <why> that opens the tail), 1 the prompt, 2 a target."""
        p = self.prompt(r, grow)
        label = [self["Yes" if r["label"] == "Yes" else "No"]]
        why = self.ids(r["explanation"], grow) if layout != "answer" else []
        if layout == "answer":
            tail = [self["<ans>"]] + label + [self["<eos>"]]
        elif layout == "answer-explain":
            tail = [self["<ans>"]] + label + [self["<why>"]] + why + [self["<eos>"]]
        else:
            tail = [self["<why>"]] + why + [self["<ans>"]] + label + [self["<eos>"]]
        ids = p + tail
        kinds = [0] + [1] * (len(p) - 1) + [0] + [2] * (len(tail) - 1)
        return ids, kinds


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x, mask=None, cache=None):
        b, t, w = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, t, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4)
        if cache is not None:
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], 2), torch.cat([cache["v"], v], 2)
            cache["k"], cache["v"] = k, v
        if mask is None:
            a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.out(a.transpose(1, 2).reshape(b, t, w))
        return x + self.mlp(self.norm2(x))


class Model(nn.Module):
    def __init__(self, vocab, width=128, layers=4, heads=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab, bias=False)

    def forward(self, ids, mask=None, caches=None):
        x = self.embed(ids)
        for i, blk in enumerate(self.blocks):
            x = blk(x, mask, None if caches is None else caches[i])
        return self.head(self.norm(x))


def pad_right(seqs, device, value=0):
    n = max(len(s) for s in seqs)
    out = torch.full((len(seqs), n), value, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, :len(s)] = torch.tensor(s)
    return out.to(device)


def answer_logits(model, tok, rows, device, batch=256):
    """Yes minus No logit after `question premise <ans>`, per row."""
    out = []
    with torch.no_grad():
        for i in range(0, len(rows), batch):
            seqs = [tok.prompt(r) + [tok["<ans>"]] for r in rows[i:i + batch]]
            logits = model(pad_right(seqs, device))
            last = torch.tensor([len(s) - 1 for s in seqs], device=device)
            at = logits[torch.arange(len(seqs), device=device), last]
            out.extend((at[:, tok["Yes"]] - at[:, tok["No"]]).tolist())
    return out


def accuracy(model, tok, rows, device):
    """The share of `rows` whose label the answer token's logits give (answer layouts)."""
    margins = answer_logits(model, tok, rows, device)
    return sum((m > 0) == (r["label"] == "Yes") for r, m in zip(rows, margins)) / max(1, len(rows))


def decode(model, tok, rows, device, batch=128, max_new=None):
    """Greedy decoding after `question premise <why>`: the derivation (token ids) and the answer
    read at the position after <ans> (forced when `max_new` tokens pass without it)."""
    results = []
    inv = {i: t for t, i in tok.vocab.items()}
    ans, yes, no = tok["<ans>"], tok["Yes"], tok["No"]
    with torch.no_grad():
        for i in range(0, len(rows), batch):
            chunk = rows[i:i + batch]
            prompts = [tok.prompt(r) + [tok["<why>"]] for r in chunk]
            limit = max_new or 20 * max(r["meta"]["nodes"] for r in chunk) + 24
            b, t = len(prompts), max(len(p) for p in prompts)
            ids = torch.zeros((b, t), dtype=torch.long)
            valid = torch.zeros((b, t), dtype=torch.bool)
            for j, p in enumerate(prompts):  # left padding: with NoPE, masked pads change nothing
                ids[j, t - len(p):] = torch.tensor(p)
                valid[j, t - len(p):] = True
            ids, valid = ids.to(device), valid.to(device)
            causal = torch.tril(torch.ones((t, t), dtype=torch.bool, device=device))
            eye = torch.eye(t, dtype=torch.bool, device=device)
            mask = (causal[None, None] & valid[:, None, None, :]) | eye[None, None]
            caches = [dict() for _ in model.blocks]
            logits = model(ids, mask, caches)[:, -1]
            state = [0] * b  # 0: deriving, 1: <ans> fed (logits give the label), 2: done
            derivation = [[] for _ in range(b)]
            answer = [None] * b
            for step in range(limit + 2):
                pick = logits.argmax(-1).tolist()
                feed = [0] * b
                for j in range(b):
                    if state[j] == 1:
                        answer[j] = "Yes" if logits[j, yes] > logits[j, no] else "No"
                        state[j] = 2
                    elif state[j] == 0:
                        token = pick[j] if step < limit and pick[j] != tok["<eos>"] else ans
                        if token == ans:
                            state[j] = 1
                        else:
                            derivation[j].append(token)
                        feed[j] = token
                if all(s == 2 for s in state):
                    break
                new_valid = torch.tensor([s != 2 for s in state], device=device)
                valid = torch.cat([valid, new_valid[:, None]], 1)
                step_mask = valid.clone()
                step_mask[:, -1] = True  # a finished row attends to its own pad, never to nothing
                logits = model(torch.tensor(feed, device=device)[:, None], step_mask[:, None, None, :], caches)[:, -1]
            for j in range(b):
                results.append((answer[j], " ".join(inv[x] for x in derivation[j])))
    return results


class Shuffled:
    """Batches of indices from `pool`, reshuffled by `rng` whenever the next batch would run past
    the end (the order every arm but the curriculum trains in)."""

    def __init__(self, pool, rng):
        self.order, self.rng, self.cursor = list(pool), rng, 0
        rng.shuffle(self.order)

    def take(self, step, batch, score=None):
        if self.cursor + batch > len(self.order):
            self.rng.shuffle(self.order)
            self.cursor = 0
        self.cursor += batch
        return self.order[self.cursor - batch:self.cursor]


def train_arm(train_rows, layout, steps, seed, device, threads, lm_weight=1.0, batch=64, lr=1e-3, warmup=200,
              width=128, layers=4, heads=4, extra_rows=(), log=None, minutes=None, order=None):
    """Trains one arm; returns (model, tokenizer, facts about the run). `order` picks each batch's
    rows (indices into `train_rows`) by `take(step, batch, score)`, where `score(rows)` is the
    model's accuracy on rows now; default: `Shuffled` over every row."""
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    rng = random.Random(seed)
    tok = Tokenizer()
    examples = [tok.example(r, layout, grow=True) for r in train_rows]
    for r in extra_rows:  # eval vocabulary (names, longer premises): embeddings stay untrained
        tok.prompt(r, grow=True)
    model = Model(len(tok.vocab), width, layers, heads).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    order = order or Shuffled(range(len(examples)), rng)
    score = lambda rows: accuracy(model, tok, rows, device)  # noqa: E731
    start, recent = time.time(), []
    step = 0
    while step < steps:
        if minutes is not None and time.time() - start > minutes * 60:
            break
        idx = order.take(step, batch, score)
        ids = pad_right([examples[j][0] for j in idx], device)
        kinds = pad_right([examples[j][1] for j in idx], device)[:, 1:].reshape(-1)
        for g in opt.param_groups:
            g["lr"] = lr * min(1.0, (step + 1) / warmup) * max(0.1, 1 - step / steps)
        logits = model(ids)
        ce = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), reduction="none")
        target, prompt = (kinds == 2).float(), (kinds == 1).float()
        loss = (ce * target).sum() / target.sum() + lm_weight * (ce * prompt).sum() / prompt.sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        recent.append(loss.item())
        if log and step % 100 == 0:
            log(f"step {step}/{steps} loss {sum(recent) / len(recent):.4f} ({time.time() - start:.0f}s)")
            recent = []
    facts = {"steps": step, "seconds": round(time.time() - start, 1),
             "parameters": sum(p.numel() for p in model.parameters()), "vocab": len(tok.vocab)}
    model.eval()
    return model, tok, facts
