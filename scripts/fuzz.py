#!/usr/bin/env python3
"""Seeded fuzzing of the built axiomc binary (issue #15).

Feeds random and mutated inputs to five front ends and counts what comes back:

  recipe   YAML recipes (mutated shipped recipes, anchors/aliases, deep nesting) -> axiomc compile
  grammar  XML grammars (mutations, DOCTYPE/entity attacks, deep nesting)         -> axiomc grammar lint
  eval     prediction files in every format (ids, prompt, lm-eval, csv, text)    -> axiomc eval
  solve    JSONL premise/hypothesis/prompt lines                                  -> axiomc solve
  model    causal model documents (JSON) and effect questions                     -> axiomc effect

A process covers many inputs (one per line of an eval or solve file). Counted as failures:
crashes (killed by a signal, exit code >= 128, or "Fatal error" on stderr), hangs (no exit within
--timeout seconds) and non-zero exits with nothing on stderr. Failing inputs are kept in
--failures. Exits 1 when there was any failure.

  python3 scripts/fuzz.py --axiomc .build/debug/axiomc --seconds 60 --seed 1
  python3 scripts/fuzz.py --axiomc .build/release/axiomc --seconds 1200 --seed 2   # the long run
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Values at the edges of what recipes accept: small valid ones, and invalid ones of every kind.
# (A valid but huge setting, such as count: 1000000000, is a legitimately long compile, not a hang,
# so the valid values stay small.)
NUMBERS = ["0", "1", "2", "3", "7", "-1", "-9223372036854775808", "9223372036854775807",
           "9223372036854775808", "18446744073709551616", "9999999999999", "1000000001", "1e3",
           "0x10", "0o7", "1_000", "0.5", "-0.0", ".inf", "-.inf", ".nan", "NaN", "1e308", "1e-320",
           "4097", "65", "100001", "4096000", "~", "null", "true", "''", "[]", "{}", "[1]", "[1, 2, 3]",
           "[5, 3]", "[2, 5]", "[0, 1]", "[9999999999999, 9999999999999]", '"12"', "!!int 3", "!!str 3",
           "&a 3", "*a", "\"\\u0000\"", "3 # comment", "|\n  3"]
KEYS = ["kind", "episodes", "held_out_structures", "structures", "confound", "goal", "settings", "weights",
        "constants", "noise", "trials", "name", "seed", "grammar", "names", "defaults", "splits", "role", "axioms", "tasks", "level", "family", "nodes",
        "flip_probability", "branching_factor", "connected", "edge_probability", "given_size", "order",
        "distractors", "explanations", "prompt", "queries_per_graph", "count", "shard_size", "leakage",
        "balance_tolerance", "alphabet", "length", "words", "case_sensitive", "<<", "? complex", "flip_prob"]
JUNK = ["\x00", "\x1b[31m", "\t", "\r", "\ufeff", "\u202e", "é", "😀", "\udcff", "'", '"', "\\", "{", "}",
        "[", "]", ":", "- ", "&x", "*x", "!!binary", "%YAML 1.1", "---", "...", "#", "|", ">", "?", ",",
        "\n", "\n  ", "<", ">", "&amp;", "&#0;", "&#x110000;", "]]>", "<!--", "-->"]

# An episodes recipe (kind: episodes), mutated like the others: its own decoder and compiler.
EPISODES_RECIPE = """kind: episodes
name: fz-episodes
seed: 3
held_out_structures: 0.25
defaults:
  nodes: [3, 6]
  family: random
  edge_probability: 0.5
  settings: [0, 5]
  goal: sink
splits:
  - name: train
    structures: seen
    count: 40
  - name: eval_r
    role: eval
    structures: held-out
    noise: 1
    trials: 4
    count: 20
  - name: eval_c
    role: eval
    explanations: false
    confound: {cue: answer-first, agreement: 0.5}
    count: 20
"""

SMALL_RECIPE = """name: fz
seed: 3
grammar: {grammar}
names:
  alphabet: A-Za-z0-9
  length: [1, 3]
defaults:
  shard_size: 20
  queries_per_graph: 2
  explanations: true
  prompt: true
splits:
  - name: train
    role: train
    axioms: [transitivity, d-separation]
    family: flipped-chain
    flip_probability: 0.5
    nodes: [3, 6]
    given_size: [0, 2]
    order: [graph, reversed, shuffled]
    count: 40
  - name: eval_b
    role: eval
    axioms: [transitivity, d-separation]
    family: branching
    branching_factor: 1.4
    nodes: [7, 9]
    given_size: [0, 2]
    distractors: 3
    count: 20
  - name: eval_r
    role: eval
    axioms: transitivity
    family: random
    edge_probability: 0.3
    nodes: [10, 12]
    count: 10
"""


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.work = tempfile.mkdtemp(prefix="axiomc-fuzz-")
        self.failures = args.failures
        self.stats = {"inputs": 0, "processes": 0, "crashes": 0, "hangs": 0, "silent": 0, "nonzero": 0}
        self.per_target = {}
        self.grammars = {g: open(os.path.join(ROOT, "Grammars", g + ".xml"), encoding="utf-8").read() for g in ["paper", "en"]}
        self.recipes = [SMALL_RECIPE.format(grammar=g) for g in ["en", "paper"]] + [EPISODES_RECIPE]
        self.records = []
        self.gold = os.path.join(self.work, "gold")
        # Chance that a JSON line is mutated, drawn per file: most files are well-formed, so the
        # whole of them is read and scored, not only up to the first bad line.
        self.line_mutation = 0.0

    # -- running --------------------------------------------------------------------------
    def run(self, target, argv, inputs, keep):
        """Runs axiomc with argv; `keep` lists the input files to save when it fails."""
        self.stats["processes"] += 1
        self.stats["inputs"] += inputs
        t = self.per_target.setdefault(target, {"inputs": 0, "processes": 0})
        t["inputs"] += inputs
        t["processes"] += 1
        try:
            p = subprocess.run([self.args.axiomc] + argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               timeout=self.args.timeout)
        except subprocess.TimeoutExpired:
            self.fail("hangs", target, argv, keep, "no exit within %ss" % self.args.timeout)
            return None
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode < 0 or p.returncode >= 128 or "Fatal error" in err:
            self.fail("crashes", target, argv, keep, "exit %d\n%s" % (p.returncode, err[-4000:]))
        elif p.returncode != 0:
            self.stats["nonzero"] += 1
            if not err.strip():
                self.fail("silent", target, argv, keep, "exit %d with empty stderr" % p.returncode)
        return p

    def fail(self, kind, target, argv, keep, why):
        self.stats[kind] += 1
        n = self.stats["crashes"] + self.stats["hangs"] + self.stats["silent"]
        dest = os.path.join(self.failures, "%s-%s-%04d" % (kind, target, n))
        os.makedirs(dest, exist_ok=True)
        for f in keep:
            if os.path.isfile(f):
                shutil.copy(f, dest)
        with open(os.path.join(dest, "why.txt"), "w") as w:
            w.write("axiomc %s\n%s\n" % (" ".join(argv), why))
        print("fuzz: %s in %s: %s (kept in %s)" % (kind, target, why.splitlines()[0], dest), file=sys.stderr)

    def setup(self):
        """Compiles a small corpus once: gold for eval, real premises for solve."""
        recipe = os.path.join(self.work, "seed.yaml")
        with open(recipe, "w") as f:
            f.write(self.recipes[0])
        subprocess.run([self.args.axiomc, "compile", recipe, "--out", self.gold, "--jobs", "1"], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
        for dirpath, _, names in os.walk(self.gold):
            for name in sorted(names):
                if name.endswith(".jsonl"):
                    with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                        self.records += [json.loads(line) for line in f]
        self.records.sort(key=lambda r: r["id"])

    # -- mutation ---------------------------------------------------------------------------
    def mutate_text(self, text, rounds=None):
        r = self.rng
        for _ in range(rounds if rounds is not None else r.randint(1, 4)):
            if not text:
                text = r.choice(JUNK)
                continue
            i = r.randrange(len(text))
            op = r.randrange(7)
            if op == 0:
                text = text[:i] + r.choice(JUNK) + text[i:]
            elif op == 1:
                text = text[:i] + text[i + r.randint(1, 20):]
            elif op == 2:
                j = r.randrange(len(text))
                text = text[:i] + text[min(i, j):max(i, j)] + text[i:]
            elif op == 3:
                text = text[:i]
            elif op == 4:
                text = text[:i] + chr(r.randrange(0x20, 0x7F)) + text[i + 1:]
            elif op == 5:
                text = text[:i] + chr(r.choice([r.randrange(0, 0x20), r.randrange(0x80, 0x800), r.randrange(0xE000, 0x10FFFF)])) + text[i:]
            else:
                text = text[:i] + r.choice(KEYS) + ": " + r.choice(NUMBERS) + "\n" + text[i:]
        return text

    def write(self, name, data):
        path = os.path.join(self.work, name)
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8", "errors": "surrogatepass", "newline": ""})) as f:
            f.write(data)
        return path

    # -- recipes ----------------------------------------------------------------------------
    def recipe_text(self):
        r = self.rng
        base = r.choice(self.recipes)
        kind = r.randrange(8)
        if kind == 0:  # one value replaced by an edge value
            lines = base.split("\n")
            idx = [i for i, l in enumerate(lines) if ": " in l]
            i = r.choice(idx)
            key = lines[i].split(":")[0]
            lines[i] = key + ": " + r.choice(NUMBERS)
            return "\n".join(lines)
        if kind == 1:  # anchors and aliases, including a billion-laughs bomb
            depth = r.randint(2, 12)
            bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
            for d in range(1, depth):
                bomb.append("a%d: &a%d [%s]" % (d, d, ", ".join(["*a%d" % (d - 1)] * 10)))
            return base.replace("splits:", "\n".join(bomb) + "\nsplits:", 1) if r.random() < 0.5 else \
                base.replace("count: 40", "count: &c 40").replace("count: 20", "count: *c")
        if kind == 2:  # deep nesting
            n = r.choice([10, 100, 1000, 10000, 100000])
            return base.replace("nodes: [3, 6]", "nodes: " + "[" * n + "3" + "]" * n, 1) if r.random() < 0.5 else \
                "name: fz\nseed: 1\ngrammar: en\nsplits:\n" + "".join("  " * (i + 1) + "- a:\n" for i in range(min(n, 3000)))
        if kind == 3:  # merge keys and defaults games
            return base.replace("defaults:", "defaults: &d", 1).replace("  - name: eval_r\n", "  - <<: *d\n    name: eval_r\n", 1)
        if kind == 4:  # random bytes
            return "".join(r.choice(JUNK + KEYS + NUMBERS + [" ", "\n"]) for _ in range(r.randint(1, 200)))
        return self.mutate_text(base)

    def fuzz_recipe(self):
        path = self.write("r.yaml", self.recipe_text())
        out = os.path.join(self.work, "r-out")
        shutil.rmtree(out, ignore_errors=True)
        self.run("recipe", ["compile", path, "--out", out, "--jobs", "1"], 1, [path])

    # -- grammars ---------------------------------------------------------------------------
    def grammar_text(self):
        r = self.rng
        base = self.grammars[r.choice(["paper", "en"])]
        kind = r.randrange(7)
        if kind == 0:
            n = r.randint(2, 9)
            ents = ['<!ENTITY e0 "lol">'] + ['<!ENTITY e%d "%s">' % (i, "&e%d;" % (i - 1) * 10) for i in range(1, n)]
            return base.replace("<grammar", "<!DOCTYPE grammar [%s]>\n<grammar" % "".join(ents), 1).replace(
                "causes <y/>.</t></edge>", "causes <y/>&e%d;.</t></edge>" % (n - 1), 1)
        if kind == 1:
            target = r.choice(["file:///etc/passwd", "http://127.0.0.1:9/x", "/dev/zero", "fz.xml"])
            return base.replace("<grammar", '<!DOCTYPE grammar [<!ENTITY x SYSTEM "%s"> <!ENTITY %% p SYSTEM "%s"> %%p;]>\n<grammar' % (target, target), 1).replace(
                "</grammar>", "<edge><t>&x;<x/> x <y/>.</t></edge></grammar>")
        if kind == 2:
            n = r.choice([100, 1000, 10000, 100000])
            return base.replace("</grammar>", "<edge>" * n + "</edge>" * n + "</grammar>")
        if kind == 3:
            return base.replace("<t><x/> causes <y/>.</t>", "<t>" + "<x/>" * r.choice([1, 100, 10000]) + "<y/></t>", 1)
        if kind == 4:
            return base.replace('name="', 'name="' + "A" * r.choice([1000, 100000]), 1)
        return self.mutate_text(base, r.randint(1, 6))

    def fuzz_grammar(self):
        text = self.grammar_text()
        path = self.write("g.xml", text.encode("utf-8", "surrogatepass") if self.rng.random() < 0.9 else os.urandom(self.rng.randint(0, 400)))
        self.run("grammar", ["grammar", "lint", path], 1, [path])

    # -- predictions --------------------------------------------------------------------------
    def answer(self):
        r = self.rng
        k = r.randrange(10)
        if k < 4:
            return r.choice(["Yes", "No", "yes", "NO", " Yes.", "**No**", "<answer>Yes</answer>", "Answer: No", "Final answer: yes"])
        if k < 6:
            return self.mutate_text(r.choice(["Yes", "No", "I think the answer is no.", "<answer>No</answer> yes"]))
        if k < 7:
            return "".join(chr(r.randrange(0, 0x3000)) for _ in range(r.randint(0, 300)))
        if k < 8:
            return "x" * r.choice([0, 1, 5000, 100000])
        return r.choice(["", "maybe", "\x00\x1b[2J", "yes no", "no yes", "Yes" * 1000, "\ud800"])

    def jline(self, obj):
        text = json.dumps(obj, ensure_ascii=self.rng.random() < 0.5)
        if self.rng.random() < self.line_mutation:
            text = self.mutate_text(text)
        if self.rng.random() < self.line_mutation / 10:
            d = self.rng.choice([100, 10000, 1000000])
            text = '{"id": ' + "[" * d + "]" * d + "}"
        return text

    def fuzz_eval(self):
        r = self.rng
        fmt = r.choice(["ids", "prompt", "lm-eval", "csv", "text"])
        self.line_mutation = r.choice([0, 0, 0, 0.0005, 0.02])
        n = r.randint(1, self.args.lines)
        recs = [r.choice(self.records) for _ in range(n)] if r.random() < 0.5 else self.records[:n]
        lines = []
        if fmt == "ids":
            if r.random() < 0.1:
                lines.append(json.dumps({"metrics": {"acc": 0.5}}))
            for rec in recs:
                if r.random() < 0.1:
                    lines.append(self.jline({"custom_id": rec["id"], "response": {"body": {"choices": [{"message": {"content": self.answer()}}]}}}))
                else:
                    lines.append(self.jline({"id": rec["id"] if r.random() < 0.95 else self.answer(), "prediction": self.answer(), "label": rec["label"]}))
        elif fmt == "prompt":
            for rec in recs:
                lines.append(self.jline({"prompt": rec["prompt"], "prediction": self.answer(), "completion": rec["label"]}))
        elif fmt == "lm-eval":
            for i, rec in enumerate(recs):
                if r.random() < 0.5:
                    resp = [[str(-r.random() * 10), "False"], [r.choice([-1.5, "x", None, 1e308]), "True"]]
                    args = [[rec["prompt"], " No"], [rec["prompt"], " Yes"]][: r.choice([0, 1, 2, 2, 2])]
                    lines.append(self.jline({"doc_id": i, "doc": {"id": rec["id"], "label": rec["label"]}, "filtered_resps": resp, "arguments": args}))
                else:
                    lines.append(self.jline({"doc_id": i if r.random() < 0.9 else -i, "doc": {"id": rec["id"], "label": rec["label"]},
                                             "filtered_resps": [self.answer()], "target": rec["label"]}))
        elif fmt == "csv":
            lines.append(r.choice(["id,prediction", "ID, Answer", "id,output,extra", "prediction", "id"]))
            for rec in recs:
                a = self.answer().replace("\n", " ")
                cell = '"%s"' % a.replace('"', '""') if r.random() < 0.5 else a
                lines.append("%s,%s" % (rec["id"], cell) + ("" if r.random() < 0.99 else ',"x'))
        else:
            lines = [self.answer().replace("\n", " ") for _ in recs]
        sep = "\r\n" if r.random() < 0.1 else "\n"
        data = sep.join(lines) + (sep if r.random() < 0.8 else "")
        path = self.write("p." + ("csv" if fmt == "csv" else "jsonl"), data.encode("utf-8", "surrogatepass"))
        argv = ["eval", "--predictions", path]
        if r.random() < 0.7:
            argv += ["--gold", self.gold, "--allow-missing"]
        if r.random() < 0.5:
            argv += ["--format", fmt if r.random() < 0.9 else r.choice(["ids", "prompt", "lm-eval", "csv", "text", "bogus"])]
        if r.random() < 0.2:
            argv += ["--json"]
        if r.random() < 0.05:
            argv += ["--report", os.path.join(self.work, "report")]
        if r.random() < 0.1:
            argv += ["--max-line-bytes", str(r.choice([1, 10, 1000, 100000]))]
        self.run("eval", argv, n, [path])

    # -- solve --------------------------------------------------------------------------------
    def solve_line(self, grammar):
        r = self.rng
        rec = r.choice(self.records)
        k = r.randrange(10)
        if grammar == "paper":
            names = ["".join(r.choice("ABCabc019xyz") for _ in range(r.randint(1, 3))) for _ in range(r.randint(2, 8))]
            edges = [(names[r.randrange(len(names))], names[r.randrange(len(names))]) for _ in range(r.randint(0, 12))]
            premise = " ".join("%s causes %s." % e for e in edges)
            x, y = r.choice(names), r.choice(names)
            hyp = r.choice(["Does %s cause %s?" % (x, y), "Are %s and %s d-separated?" % (x, y),
                            "Are %s and %s d-separated given {%s}?" % (x, y, ", ".join(r.sample(names, r.randint(0, len(names)))))])
        else:
            premise, hyp = rec["premise"], rec["hypothesis"]
        if k < 3:
            premise = self.mutate_text(premise)
        elif k < 4:
            hyp = self.mutate_text(hyp)
        obj = {"premise": premise, "hypothesis": hyp}
        if k == 5:
            obj = {"prompt": rec["prompt"] if r.random() < 0.5 else self.mutate_text(rec["prompt"])}
        if k == 6:
            obj["label"] = r.choice(["Yes", "No", "maybe", 1, None, ["Yes"]])
        if k == 7:
            obj = r.choice([{"premise": 3}, {"hypothesis": hyp}, [], "x", {"premise": premise * r.randint(1, 50), "hypothesis": hyp}])
        return self.jline(obj) if not (k == 8 and r.random() < 0.3) else self.mutate_text(json.dumps(obj))

    def fuzz_solve(self):
        r = self.rng
        grammar = r.choice(["paper", "en"])
        self.line_mutation = r.choice([0, 0.001, 0.02])
        n = r.randint(1, self.args.lines)
        data = "\n".join(self.solve_line(grammar) for _ in range(n)) + "\n"
        path = self.write("s.jsonl", data.encode("utf-8", "surrogatepass"))
        self.run("solve", ["solve", path, "--grammar", grammar], n, [path])

    # -- causal models ------------------------------------------------------------------------
    MODEL_VALUES = [0.5, 0.01, 0.99, 0, 1, -0.5, 0.405, 1e400, -1e400, 1e20, 1e-320, 2 ** 63, "0.5", None, True,
                    [], {}, [0.5], "X", "", "\u0000", 12, 13]

    def model_doc(self):
        """A valid random model of 1–13 variables, then (mostly) one or more mutations."""
        r = self.rng
        n = r.randint(1, 13)
        names = ["V%d" % i for i in range(n)]
        edges = [[names[a], names[b]] for a in range(n) for b in range(a + 1, n) if r.random() < 0.4]
        tables = {}
        for v in names:
            parents = [e[0] for e in edges if e[1] == v]
            r.shuffle(parents)
            tables[v] = {"parents": parents, "p": [r.randint(1, 99) / 100 for _ in range(2 ** len(parents))]}
        doc = {"variables": names, "edges": edges, "tables": tables}
        for _ in range(r.choice([0, 1, 1, 2, 3])):
            k = r.randrange(7)
            if k == 0 and tables:
                t = tables[r.choice(list(tables))]
                if t["p"]:
                    t["p"][r.randrange(len(t["p"]))] = r.choice(self.MODEL_VALUES)
            elif k == 1 and edges:
                e = r.choice(edges)
                e.reverse() if r.random() < 0.5 else e.append(r.choice(names + ["Q"]))
            elif k == 2:
                doc[r.choice(["variables", "edges", "tables", "extra"])] = r.choice(self.MODEL_VALUES)
            elif k == 3 and tables:
                tables[r.choice(list(tables))]["parents"] = r.choice([names, [], ["Q"], names[:1] * 2])
            elif k == 4:
                names.append(r.choice(names + ["", "W"]))
            elif k == 5:
                edges.append([r.choice(names + ["Q"]), r.choice(names + ["Q"])])
            elif tables:
                tables.pop(r.choice(list(tables)))
        text = json.dumps(doc)
        return self.mutate_text(text, 1) if r.random() < 0.1 else text

    def fuzz_model(self):
        r = self.rng
        text = self.model_doc()
        path = self.write("m.json", text.encode("utf-8", "surrogatepass"))
        names = ["V%d" % i for i in range(14)] + ["Q"]
        quantity = r.choice(["association", "ate", "ett", "nde", "nie", "risk"])
        argv = ["effect", "--model", path, "--quantity", quantity, "--treatment", r.choice(names),
                "--outcome", r.choice(names)]
        if quantity in ("nde", "nie") or r.random() < 0.1:
            argv += ["--mediator", r.choice(names)]
        if r.random() < 0.5:
            argv.append("--json")
        self.run("model", argv, 1, [path])

    # -- driver --------------------------------------------------------------------------------
    def main(self):
        self.setup()
        start = time.time()
        targets = [(self.fuzz_solve, 4), (self.fuzz_eval, 4), (self.fuzz_recipe, 3), (self.fuzz_grammar, 2),
                   (self.fuzz_model, 2)]
        pool = [f for f, w in targets for _ in range(w)]
        last = start
        while time.time() - start < self.args.seconds and (self.args.inputs == 0 or self.stats["inputs"] < self.args.inputs):
            self.rng.choice(pool)()
            if time.time() - last > 60:
                last = time.time()
                print("fuzz: %ds %s" % (last - start, json.dumps(self.stats)), file=sys.stderr)
        elapsed = time.time() - start
        shutil.rmtree(self.work, ignore_errors=True)
        summary = dict(self.stats, seconds=round(elapsed, 1), seed=self.args.seed, targets=self.per_target)
        print(json.dumps(summary))
        bad = self.stats["crashes"] + self.stats["hangs"] + self.stats["silent"]
        print("fuzz: %d inputs in %d processes, %.0f s: %d crashes, %d hangs, %d silent failures (%d non-zero exits with a message)"
              % (self.stats["inputs"], self.stats["processes"], elapsed, self.stats["crashes"], self.stats["hangs"],
                 self.stats["silent"], self.stats["nonzero"]), file=sys.stderr)
        return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--axiomc", default=os.path.join(ROOT, ".build", "debug", "axiomc"))
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--inputs", type=int, default=0, help="stop after this many inputs (0: no limit)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30, help="seconds per process before it counts as a hang")
    ap.add_argument("--lines", type=int, default=2000, help="most lines per eval or solve file")
    ap.add_argument("--failures", default=os.path.join(ROOT, "out", "fuzz-failures"))
    args = ap.parse_args()
    args.axiomc = os.path.abspath(args.axiomc)
    sys.exit(Fuzzer(args).main())


if __name__ == "__main__":
    main()
