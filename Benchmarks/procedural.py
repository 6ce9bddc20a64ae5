"""Measures axiomc.create_dataset beside reasoning-gym's create_dataset; prints a Markdown table.

    python3 Benchmarks/procedural.py [--runs 3] [--sizes 1000 10000]
    python3 Benchmarks/procedural.py --table Benchmarks/results/procedural.json   # table only

Every number is items per wall-clock second of `create_dataset(task, size=, seed=)` followed by
iterating every item (reasoning-gym makes most items lazily in __getitem__, so the iteration is
what forces generation), the median of --runs runs. For axiomc that includes starting the binary
(`compile --stdout`, $AXIOMC_BIN, else .build/release/axiomc) and parsing its JSONL; the same
recipe's `compile --stdout` is also timed alone ("binary alone"), so the rest is Python's. One untimed
size-10 call per library comes first, so imports are not timed. reasoning-gym is optional
(`pip install reasoning-gym`); without it only axiomc is measured and the JSON says why.
The results go to Benchmarks/results/procedural.json (--out). See BENCHMARKS.md.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXIOMC_TASKS = ["transitivity", "d-separation", "collider", "common-cause", "mediator", "markov-blanket",
                "backdoor", "frontdoor", "correlation-to-causation"]
# reasoning-gym's graph and logic tasks (zebra_puzzles is one too, but makes ~4 items/s: left out).
RG_TASKS = ["shortest_path", "propositional_logic", "graph_color", "syllogism", "course_schedule",
            "family_relationships", "knights_knaves", "circuit_logic"]


def timed(make, size, runs):
    """Median seconds of make(size) plus iterating all its items, and the items' mean question length."""
    times, chars = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        n, chars = 0, 0
        for item in make(size):
            n += 1
            chars += len(item["question"])
            str(item["answer"])
        times.append(time.perf_counter() - start)
        if n != size:
            raise RuntimeError(f"asked for {size} items, got {n}")
    median = statistics.median(times)
    return {"median_s": round(median, 4), "items_per_s": round(size / median, 1),
            "times_s": [round(t, 4) for t in times], "mean_question_chars": round(chars / size, 1)}


def binary_alone(binary, recipe, size, runs):
    """Median seconds of the `axiomc compile --stdout` that create_dataset runs, its output read
    and dropped: the part of create_dataset's time that is not Python's JSON parsing."""
    with tempfile.TemporaryDirectory(prefix="axiomc-bench-") as tmp:
        path = Path(tmp) / "procedural.yaml"
        path.write_text(json.dumps(recipe))
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([binary, "compile", str(path), "--stdout"], check=True, stdout=subprocess.PIPE)
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return {"binary_median_s": round(median, 4), "binary_items_per_s": round(size / median, 1)}


def measure(library, create, tasks, sizes, runs, seed, recipe=None, binary=None):
    create(tasks[0], 10, seed)  # untimed: imports, the binary into the page cache
    results = {}
    for task in tasks:
        results[task] = {}
        for size in sizes:
            results[task][str(size)] = r = timed(lambda n: create(task, n, seed), size, runs)
            if recipe:
                r.update(binary_alone(binary, recipe(task, size, seed), size, runs))
            print(f"{library:14} {task:26} {size:>7,} {r['items_per_s']:>12,.0f} items/s", file=sys.stderr, flush=True)
    return results


def table(results):
    sizes = results["sizes"]
    last = str(sizes[-1])
    head = ("| library | task | " + " | ".join(f"items/s at {s:,}" for s in sizes)
            + f" | binary alone, items/s at {sizes[-1]:,} | mean question chars |")
    lines = [head, "|---|---|" + "---:|" * (len(sizes) + 2)]
    for library, key in [("axiomc", "axiomc"), ("reasoning-gym", "reasoning_gym")]:
        for task, by_size in results.get(key, {}).items():
            rates = " | ".join(f"{by_size[str(s)]['items_per_s']:,.0f}" for s in sizes)
            alone = by_size[last].get("binary_items_per_s")
            alone = f"{alone:,.0f}" if alone else "—"
            lines.append(f"| {library} | {task} | {rates} | {alone} | {by_size[last]['mean_question_chars']:,.0f} |")
    if results.get("reasoning_gym_error"):
        lines.append(f"\nreasoning-gym not measured: {results['reasoning_gym_error']}")
    return "\n".join(lines)


def git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "Benchmarks" / "results" / "procedural.json")
    ap.add_argument("--table", type=Path, help="print the Markdown table of this results file and stop")
    args = ap.parse_args()
    if args.table:
        print(table(json.loads(args.table.read_text())))
        return

    binary = os.environ.setdefault("AXIOMC_BIN", str(ROOT / ".build" / "release" / "axiomc"))
    sys.path.insert(0, str(ROOT / "python" / "src"))
    import axiomc

    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "axiomc_bin": binary, "axiomc_version": version,
        "runs": args.runs, "sizes": args.sizes, "seed": args.seed,
    }
    # The recipe create_dataset compiles (a private helper: without it, no binary-alone column).
    recipe = getattr(axiomc.procedural, "_recipe", None)
    results["axiomc"] = measure("axiomc", lambda t, n, s: axiomc.create_dataset(t, size=n, seed=s),
                                AXIOMC_TASKS, args.sizes, args.runs, args.seed,
                                recipe and (lambda t, n, s: recipe(t, n, s, {})), binary)
    try:
        import reasoning_gym
        from importlib.metadata import version as dist_version
        results["reasoning_gym_version"] = dist_version("reasoning-gym")
    except ImportError as e:
        results["reasoning_gym_error"] = f"import reasoning_gym failed ({e}); pip install reasoning-gym"
    else:
        known = set(getattr(__import__("reasoning_gym.factory", fromlist=["DATASETS"]), "DATASETS", RG_TASKS))
        results["reasoning_gym"] = measure("reasoning-gym",
                                           lambda t, n, s: reasoning_gym.create_dataset(t, size=n, seed=s),
                                           [t for t in RG_TASKS if t in known], args.sizes, args.runs, args.seed)
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))


if __name__ == "__main__":
    main()
