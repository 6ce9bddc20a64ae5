"""Measures axiomc against the networkx reference and its own targets; prints a Markdown report.

    python3 Benchmarks/bench.py [--runs 3] [--quick] [--only SECTION ...]
    python3 Benchmarks/bench.py --table Benchmarks/results/FILE.json   # BENCHMARKS.md's table

Every number is a median over --runs runs on this machine. Rates count records (or predictions)
per wall-clock second of the whole command, including start-up and writing. The results go to
Benchmarks/results/latest.json (with the commit and whether the tree was clean); --table renders
the targets table from such a file, so BENCHMARKS.md carries no hand-typed number. See
BENCHMARKS.md.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
AXIOMC = ROOT / ".build" / "release" / "axiomc"
REFERENCE = ROOT / "Benchmarks" / "reference" / "generate.py"


def run(cmd, **kw):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, **kw)
    return time.perf_counter() - start


def median_time(cmd, runs, before=None):
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(run(cmd))
    return statistics.median(times)


def train_recipe(source, count, shards, tmp, name):
    recipe = yaml.safe_load((ROOT / source).read_text())
    train = next(s for s in recipe["splits"] if s["name"] == "train")
    train["count"] = count
    train["shard_size"] = -(-count // shards)
    recipe["splits"] = [train]
    recipe["name"] = name
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(recipe, sort_keys=False))
    return path


def size_recipe(nodes, count, tmp):
    recipe = {
        "name": f"size-{nodes}", "seed": 1, "grammar": "paper", "names": {"alphabet": "A-Za-z0-9", "length": [1, 3]},
        "splits": [{"name": "train", "role": "train", "axioms": "transitivity", "family": "flipped-chain",
                    "flip_probability": 0.5, "nodes": nodes, "count": count, "shard_size": count,
                    "queries_per_graph": 2, "prompt": True}],
    }
    path = tmp / f"size-{nodes}.yaml"
    path.write_text(yaml.safe_dump(recipe, sort_keys=False))
    return path


def du(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*.jsonl"))


def compile_vs_reference(args, scale, tmp, out, clean, results):
    """1–2. Compile vs the networkx reference, one job, training splits of the paper recipes."""
    for key, source, count, ref_count in [
        ("transitivity", "Corpora/paper-transitivity.yaml", int(1_000_000 * scale), int(50_000 * scale)),
        ("d-separation", "Corpora/paper-d-separation.yaml", int(1_000_000 * scale), int(20_000 * scale)),
    ]:
        recipe = train_recipe(source, count, 4, tmp, f"bench-{key}")
        t = median_time([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "1", "--force"], args.runs, clean)
        size = du(out)
        ref_out = tmp / "ref.jsonl"
        rt = median_time([sys.executable, str(REFERENCE), str(recipe), "--count", str(ref_count), "--out", str(ref_out)], args.runs)
        results[key] = {
            "axiomc_records_per_s": count / t, "axiomc_bytes_per_record": size / count,
            "axiomc_mb_per_s": size / t / 1e6,
            "reference_records_per_s": ref_count / rt, "reference_bytes_per_record": ref_out.stat().st_size / ref_count,
            "ratio": (count / t) / (ref_count / rt),
        }
        print(f"{key}: axiomc {count / t:,.0f} records/s, reference {ref_count / rt:,.0f} records/s", file=sys.stderr)


def per_byte(args, scale, tmp, out, clean, results):
    """3. Cost per output byte from 5- to 100- to 1,000-node graphs."""
    costs = {}
    for nodes, count in [(5, int(400_000 * scale)), (100, int(20_000 * scale)), (1000, int(1_000 * scale))]:
        recipe = size_recipe(nodes, count, tmp)
        t = median_time([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "1", "--force"], args.runs, clean)
        costs[nodes] = {"ns_per_byte": t / du(out) * 1e9, "records_per_s": count / t, "bytes_per_record": du(out) / count}
    results["per_byte"] = costs


def jobs(args, scale, tmp, out, clean, results):
    """4. --jobs 2 vs --jobs 1."""
    recipe = train_recipe("Corpora/paper-transitivity.yaml", int(2_000_000 * scale), 8, tmp, "bench-jobs")
    t1 = median_time([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "1", "--force"], args.runs, clean)
    t2 = median_time([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "2", "--force"], args.runs, clean)
    results["jobs"] = {"jobs1_s": t1, "jobs2_s": t2, "speedup": t1 / t2, "jobs2_mb_per_s": du(out) / t2 / 1e6}


def dd(args, scale, tmp, out, clean, results):
    """5. dd to the same disk, with a final fsync as axiomc does per shard."""
    dd_t = median_time(["dd", "if=/dev/zero", f"of={tmp}/dd.bin", "bs=1M", "count=2000", "conv=fsync"], args.runs)
    os.remove(tmp / "dd.bin")
    results["dd_mb_per_s"] = 2000 * 2**20 / dd_t / 1e6


def memory(args, scale, tmp, out, clean, results):
    """6. Peak memory of a 10M-record compile."""
    recipe = train_recipe("Corpora/paper-transitivity.yaml", int(10_000_000 * scale), 40, tmp, "bench-10m")
    clean()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "2"],
                          check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    results["peak_rss_mb_10m"] = int(proc.stderr.strip().splitlines()[-1]) / 1024
    if not args.skip_check_10m:
        # Timed whatever it finds: its verdict (and the first lines of what it found) are results too.
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", str(AXIOMC), "check", str(out), "--no-progress", "--jobs", "2"],
                              cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        lines = proc.stderr.strip().splitlines()
        said = (proc.stdout + proc.stderr).splitlines()  # the verdict and violations go to stdout
        results["check_10m"] = {"seconds": seconds, "peak_rss_mb": int(lines[-1]) / 1024,
                                "records_per_s": int(10_000_000 * scale) / seconds, "passed": proc.returncode == 0,
                                "verdict": next((l for l in said if l.startswith("check ")), ""),
                                "violations": [l for l in said if l.startswith("violation:")][:3]}
    clean()


def check(args, scale, tmp, out, clean, results):
    """7. check, one core."""
    count = int(200_000 * scale)
    recipe = train_recipe("Corpora/paper-transitivity.yaml", count, 1, tmp, "bench-check")
    run([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "1", "--force"])
    t, peak = median_rss([str(AXIOMC), "check", str(out), "--jobs", "1", "--no-progress"], args.runs)
    results["check_records_per_s"] = count / t
    results["check_peak_rss_mb"] = peak
    clean()


def evaluate(args, scale, tmp, out, clean, results):
    """8. eval: 1M predictions against 1M gold, timed by `axiomc eval --timing` (scoring apart
    from loading the gold)."""
    count = int(1_000_000 * scale)
    recipe = train_recipe("Corpora/paper-transitivity.yaml", count, 4, tmp, "bench-eval")
    run([str(AXIOMC), "compile", str(recipe), "--out", str(out), "--jobs", "2", "--force"])
    preds = tmp / "preds.jsonl"
    with preds.open("w") as h:
        for f in sorted((out / "train").glob("*.jsonl")):
            for line in f.open():
                i = line.index('"id":"') + 6
                h.write('{"id":"%s","prediction":" Yes"}\n' % line[i:line.index('"', i)])
    gold_s, score_s = [], []
    for _ in range(args.runs):
        proc = subprocess.run([str(AXIOMC), "eval", "--gold", str(out), "--split", "train", "--json", "--timing",
                               "--predictions", str(preds)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        lines = [l for l in proc.stderr.splitlines() if l.startswith("timing:")]
        gold_s.append(float(lines[0].split(" in ")[1].split(" s")[0]))
        score_s.append(float(lines[1].split(" in ")[1].split(" s")[0]))
    results["eval"] = {"gold_load_s": statistics.median(gold_s), "scoring_s": statistics.median(score_s),
                       "predictions_per_s": count / statistics.median(score_s),
                       "gold_records_per_s": count / statistics.median(gold_s)}
    clean()


def corpus_records(out):
    manifest = json.loads((Path(out) / "manifest.json").read_text())
    return sum(split["records"] for split in manifest["splits"].values())


def timed_rss(cmd):
    """Wall seconds and peak resident memory (MB) of one run of `cmd`."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - start, int(proc.stderr.strip().splitlines()[-1]) / 1024


def median_rss(cmd, runs, before=None):
    seconds, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        t, m = timed_rss(cmd)
        seconds.append(t)
        peaks.append(m)
    return statistics.median(seconds), max(peaks)


def controlled(args, scale, tmp, out, clean, results):
    """9. The shipped controlled recipe `default` (cue cells, skeleton twins, explanations): compile
    with 1 and 2 jobs, then `check` (labels, round trip, cues, twins, explanation replay) with 1
    and 2 jobs. --quick compiles it at --scale 0.1."""
    recipe = ["default"] + (["--scale", "0.1"] if scale < 1 else [])
    compile_cmd = [str(AXIOMC), "compile", *recipe, "--out", str(out), "--force", "--no-progress", "--jobs"]
    t1, m1 = median_rss(compile_cmd + ["1"], args.runs, clean)
    t2, m2 = median_rss(compile_cmd + ["2"], args.runs, clean)
    records = corpus_records(out)
    check_cmd = [str(AXIOMC), "check", str(out), "--no-progress", "--jobs"]
    c1, cm1 = median_rss(check_cmd + ["1"], args.runs)
    c2, cm2 = median_rss(check_cmd + ["2"], args.runs)
    results["controlled"] = {
        "records": records, "bytes": du(out),
        "compile_jobs1_s": t1, "compile_jobs2_s": t2, "compile_records_per_s": records / t1,
        "compile_speedup": t1 / t2, "compile_peak_rss_mb": max(m1, m2),
        "check_jobs1_s": c1, "check_jobs2_s": c2, "check_records_per_s": records / c1,
        "check_speedup": c1 / c2, "check_peak_rss_mb": max(cm1, cm2),
    }
    print(f"controlled: compile {records / t1:,.0f} records/s, check {records / c1:,.0f} records/s", file=sys.stderr)
    clean()


SECTIONS = {"compile": compile_vs_reference, "per_byte": per_byte, "jobs": jobs, "dd": dd, "memory": memory,
            "check": check, "eval": evaluate, "controlled": controlled}


def table(results):
    """The targets of issues #16 and #28 with the measured values of one results file."""
    r = results
    rows = []

    def row(target, measured, met):
        rows.append(f"| {target} | {measured} | {'—' if met is None else ('yes' if met else 'no')} |")

    t, d = r.get("transitivity"), r.get("d-separation")
    if t:
        row("compile, paper-transitivity train (uncontrolled), 1 job: ≥ 1M records/s",
            f"{t['axiomc_records_per_s']:,.0f} records/s ({t['axiomc_mb_per_s']:,.0f} MB/s)", t["axiomc_records_per_s"] >= 1e6)
        row("… and ≥ 20× the networkx reference in the same run",
            f"reference {t['reference_records_per_s']:,.0f} records/s: **{t['ratio']:.1f}×**", t["ratio"] >= 20)
    if d:
        row("compile, paper-d-separation train (uncontrolled), 1 job: ≥ 500k records/s",
            f"{d['axiomc_records_per_s']:,.0f} records/s ({d['axiomc_mb_per_s']:,.0f} MB/s)", d["axiomc_records_per_s"] >= 5e5)
        row("… and ≥ 40× the reference", f"reference {d['reference_records_per_s']:,.0f} records/s: **{d['ratio']:.1f}×**",
            d["ratio"] >= 40)
    c = r.get("controlled")
    if c:
        row(f"compile `default` (controlled, twinned, explained; {c['records']:,} records), 1 job: ≥ 200k records/s",
            f"{c['compile_records_per_s']:,.0f} records/s ({c['compile_jobs1_s']:.2f} s)", c["compile_records_per_s"] >= 2e5)
        row("… `--jobs 2` ≥ 1.8× `--jobs 1`", f"{c['compile_jobs2_s']:.2f} s: **{c['compile_speedup']:.2f}×**",
            c["compile_speedup"] >= 1.8)
        row("`check default` (with explanation replay), 1 job: ≥ 100k records/s per core",
            f"{c['check_records_per_s']:,.0f} records/s ({c['check_jobs1_s']:.2f} s, peak {c['check_peak_rss_mb']:.0f} MB)",
            c["check_records_per_s"] >= 1e5)
        row("… `--jobs 2` ≥ 1.8× `--jobs 1`", f"{c['check_jobs2_s']:.2f} s: **{c['check_speedup']:.2f}×**",
            c["check_speedup"] >= 1.8)
    if "per_byte" in r:
        p = {str(k): v for k, v in r["per_byte"].items()}  # int keys in a run, strings once read back
        growth = p["100"]["ns_per_byte"] / p["5"]["ns_per_byte"]
        row("cost per output byte grows ≤ 2× from 5- to 100-node graphs",
            f"{p['5']['ns_per_byte']:.2f} → {p['100']['ns_per_byte']:.2f} ns/byte: **{growth:.2f}×**", growth <= 2)
    if "jobs" in r:
        j = r["jobs"]
        row("uncontrolled paper transitivity, `--jobs 2` ≥ 1.8× `--jobs 1` (2M records, 8 shards)",
            f"{j['jobs1_s']:.2f} s → {j['jobs2_s']:.2f} s: **{j['speedup']:.2f}×**", j["speedup"] >= 1.8)
        if "dd_mb_per_s" in r:
            share = j["jobs2_mb_per_s"] / r["dd_mb_per_s"]
            row("output throughput ≥ 25% of `dd` to the same disk",
                f"dd {r['dd_mb_per_s']:,.0f} MB/s; compile {j['jobs2_mb_per_s']:,.0f} MB/s with 2 jobs (**{share:.0%}**)",
                share >= 0.25)
    if "peak_rss_mb_10m" in r:
        row("peak memory of a 10M-record compile < 300 MB (#28; #16 asked < 100 MB)",
            f"**{r['peak_rss_mb_10m']:.0f} MB** (2 jobs, 40 shards)", r["peak_rss_mb_10m"] < 300)
    if "check_10m" in r:
        m = r["check_10m"]
        verdict = "passed" if m.get("passed", True) else "**failed**" + (": " + m["verdict"] if m.get("verdict") else "")
        row("peak memory of a 10M-record check < 300 MB",
            f"**{m['peak_rss_mb']:.0f} MB** ({m['seconds']:.0f} s, {m['records_per_s']:,.0f} records/s, 2 jobs; {verdict})",
            m["peak_rss_mb"] < 300)
    if "check_records_per_s" in r:
        row("`check` of the uncontrolled paper-transitivity split (no explanations), 1 job: ≥ 500k records/s (#16)",
            f"{r['check_records_per_s']:,.0f} records/s", r["check_records_per_s"] >= 5e5)
    if "eval" in r:
        e = r["eval"]
        row("`axiomc eval` ≥ 1M predictions/s", f"**{e['predictions_per_s']:,.0f}** predictions/s scored "
            f"(gold loaded at {e['gold_records_per_s']:,.0f} records/s)", e["predictions_per_s"] >= 1e6)
    head = [f"Commit {r.get('commit', '?')}{'' if r.get('clean', True) else ' (with uncommitted changes)'}, "
            f"{r.get('machine', '?')}, median of {r.get('runs', '?')} runs.", "",
            "| target | measured | met? |", "|---|---|---|"]
    return "\n".join(head + rows) + "\n"


def git_state():
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    return commit, not dirty


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke test of this script")
    ap.add_argument("--only", nargs="*", choices=list(SECTIONS), help="run only these sections")
    ap.add_argument("--skip-check-10m", action="store_true", help="in 'memory', compile 10M records but do not check them")
    ap.add_argument("--out", help="results file (default Benchmarks/results/latest.json)")
    ap.add_argument("--table", metavar="RESULTS", help="print the targets table of a results file and exit")
    args = ap.parse_args()
    if args.table:
        print(table(json.loads(Path(args.table).read_text())), end="")
        return
    scale = 0.1 if args.quick else 1.0
    subprocess.run(["swift", "build", "-c", "release", "--product", "axiomc"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    tmp = Path(tempfile.mkdtemp(prefix="axiomc-bench-", dir=os.environ.get("BENCH_DIR")))
    out = tmp / "out"
    commit, clean_tree = git_state()
    results = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "runs": args.runs, "commit": commit,
               "clean": clean_tree}
    clean = lambda: shutil.rmtree(out, ignore_errors=True)
    (ROOT / "Benchmarks" / "results").mkdir(exist_ok=True)
    dest = Path(args.out) if args.out else ROOT / "Benchmarks" / "results" / "latest.json"
    try:
        for name, section in SECTIONS.items():
            if args.only is None or name in args.only:
                section(args, scale, tmp, out, clean, results)
                # Written after every section, so a section that fails keeps the others.
                dest.write_text(json.dumps(results, indent=2) + "\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(table(results), end="")


if __name__ == "__main__":
    main()
