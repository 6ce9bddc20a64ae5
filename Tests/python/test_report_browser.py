"""Issue #23: the plots of `axiomc eval --report` in a real browser.

A small corpus with many graph sizes (eval sizes 9-64, training sizes 4-8, two tasks) is compiled
and scored (gold labels with every fourth flipped as the predictions); then:

- each SVG is rendered by headless Chromium, and the screenshot (a PNG decoded here with zlib) is
  not blank: many colours, enough ink, and the model's blue drawn;
- from the SVG's geometry (xml.etree; text boxes estimated at 0.6 em per character) the x-axis
  labels do not overlap and stay on the page, and the legend does not touch the plot area;
- there is a per-task plot beside the per-size one, and the SVGs are self-contained and the same
  bytes on a second run;
- a garbage predictions file is an error with nothing on stdout and no report written.

Run with AXIOMC pointing at the binary (scripts/test.sh does). The rendering test skips, saying
why, only when no Chromium can be found (scripts/test.sh installs the Debian package).
"""
import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
import xml.etree.ElementTree as ET

ROOT = Path(__file__).resolve().parents[2]
AXIOMC = os.environ.get("AXIOMC", str(ROOT / ".build" / "debug" / "axiomc"))
SVG = "{http://www.w3.org/2000/svg}"
CHAR_EM = 0.6  # estimated character width, in em (the report lays its labels out with the same)
PLOTS = ["generalization.svg", "tasks.svg", "families.svg"]
LEGEND_LABELS = {"model (95% CI)", "best single cue", "cue probe", "interaction probe", "majority label",
                 "training sizes"}
MODEL_BLUE = (0x1F, 0x4E, 0x9C)

RECIPE = """\
name: wide-sizes
seed: 5
grammar: en
names: {alphabet: A-Z, length: [1, 2]}
defaults: {shard_size: 200, axioms: [transitivity, d-separation], family: flipped-chain, flip_probability: 0.5}
splits:
  - {name: train, role: train, nodes: [4, 8], count: 120}
  - {name: eval_sizes, role: eval, nodes: [9, 64], count: 160}
"""


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([AXIOMC, *args], cwd=ROOT, capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wide")
    (tmp / "wide.yaml").write_text(RECIPE)
    done = run("compile", str(tmp / "wide.yaml"), "--out", str(tmp / "corpus"), "--jobs", "2")
    assert done.returncode == 0, done.stderr
    return tmp / "corpus"


def predictions(corpus: Path, out: Path) -> Path:
    """Gold labels as predictions, every fourth (by a hash of the id) flipped."""
    with out.open("w") as f:
        for shard in sorted((corpus / "eval_sizes").glob("*.jsonl")):
            for line in shard.read_text().splitlines():
                r = json.loads(line)
                flip = zlib.crc32(r["id"].encode()) % 4 == 0
                answer = {"Yes": "No", "No": "Yes"}[r["label"]] if flip else r["label"]
                f.write(json.dumps({"id": r["id"], "prediction": answer}) + "\n")
    return out


@pytest.fixture(scope="module")
def report(corpus: Path, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    preds = predictions(corpus, tmp / "preds.jsonl")
    done = run("eval", "--gold", str(corpus), "--predictions", str(preds), "--report", str(tmp / "report"))
    assert done.returncode == 0, done.stderr
    return tmp / "report"


# --- SVG geometry ---------------------------------------------------------------------------------

def number(value: str | None, default: float = 0.0) -> float:
    return float(value) if value not in (None, "") else default


def text_box(el: ET.Element, font_size: float) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a <text>, estimated."""
    size = number(el.get("font-size"), font_size)
    width = len(el.text or "") * CHAR_EM * size
    x, y = number(el.get("x")), number(el.get("y"))
    left = {"middle": x - width / 2, "end": x - width}.get(el.get("text-anchor", "start"), x)
    return (left, y - 0.8 * size, left + width, y + 0.2 * size)


def element_box(el: ET.Element, font_size: float) -> tuple[float, float, float, float] | None:
    tag = el.tag.removeprefix(SVG)
    if tag == "text":
        return text_box(el, font_size)
    if tag == "line":
        x1, x2, y1, y2 = (number(el.get(k)) for k in ("x1", "x2", "y1", "y2"))
        return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    if tag == "rect" and not el.get("width", "").endswith("%"):
        x, y = number(el.get("x")), number(el.get("y"))
        return (x, y, x + number(el.get("width")), y + number(el.get("height")))
    return None


def union(boxes):
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def intersects(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class Plot:
    """What the checks need of one SVG: its size, plot area, legend parts and x-axis labels."""

    def __init__(self, path: Path):
        self.root = ET.parse(path).getroot()
        self.width = number(self.root.get("width"))
        self.height = number(self.root.get("height"))
        self.font_size = number(self.root.get("font-size"), 16)

    def plot_area(self):
        """The framed plot area if the SVG marks one, joined with the box of its grid lines (the
        horizontal lines across most of the page)."""
        boxes = [element_box(el, self.font_size) for el in self.root.iter(f"{SVG}rect") if el.get("class") == "plot-area"]
        for el in self.root.iter(f"{SVG}line"):
            b = element_box(el, self.font_size)
            if b and b[1] == b[3] and b[2] - b[0] >= 0.4 * self.width:
                boxes.append(b)
        return union(boxes)

    def legend_parts(self):
        """Every element of a `legend` group, and every text naming a series wherever it is."""
        parts = []
        for g in self.root.iter(f"{SVG}g"):
            if "legend" in (g.get("class") or "").split():
                parts += [(el, element_box(el, self.font_size)) for el in g.iter() if el is not g]
        for el in self.root.iter(f"{SVG}text"):
            text = (el.text or "").strip()
            if text in LEGEND_LABELS or text.startswith("dashed red: best single cue"):
                parts.append((el, text_box(el, self.font_size)))
        return [(el, b) for el, b in parts if b is not None]

    def x_labels(self, area):
        """The row of texts under the plot area holding the most texts (the x-axis labels)."""
        rows: dict[float, list] = {}
        for el in self.root.iter(f"{SVG}text"):
            y = number(el.get("y"))
            if y > area[3] and (el.text or "").strip():
                rows.setdefault(round(y, 1), []).append(el)
        row = max(rows.values(), key=len, default=[])
        return sorted(((el.text, text_box(el, self.font_size)) for el in row), key=lambda t: t[1][0])


def test_every_plot_is_written_and_the_task_plot_is_beside_the_size_plot(report):
    for name in PLOTS:
        assert (report / name).is_file(), f"{name} missing from the report: {sorted(p.name for p in report.iterdir())}"
    html = (report / "index.html").read_text()
    assert html.index('src="generalization.svg"') < html.index('src="tasks.svg"') < html.index('src="families.svg"')
    assert '<div class="plots"><img src="generalization.svg"' in html and 'alt="accuracy by task">' in html


@pytest.mark.parametrize("name", PLOTS)
def test_x_axis_labels_do_not_overlap(report, name):
    if not (report / name).is_file():
        pytest.fail(f"{name} missing")
    plot = Plot(report / name)
    area = plot.plot_area()
    assert area is not None, f"{name}: no plot area (grid lines) found"
    labels = plot.x_labels(area)
    assert labels, f"{name}: no x-axis labels under the plot area"
    for (a, box_a), (b, box_b) in zip(labels, labels[1:]):
        assert box_a[2] <= box_b[0], f"{name}: x labels {a!r} and {b!r} overlap ({box_a[2]:.1f} > {box_b[0]:.1f})"
    assert labels[0][1][0] >= 0 and labels[-1][1][2] <= plot.width, f"{name}: an x label leaves the page"


@pytest.mark.parametrize("name", PLOTS)
def test_legend_is_outside_the_plot_area(report, name):
    if not (report / name).is_file():
        pytest.fail(f"{name} missing")
    plot = Plot(report / name)
    area = plot.plot_area()
    parts = plot.legend_parts()
    assert parts, f"{name}: no legend"
    for el, box in parts:
        label = (el.text or "").strip() or el.tag.removeprefix(SVG)
        assert not intersects(box, area), f"{name}: legend part {label!r} at {box} lies over the plot area {area}"
    legend = union(b for _, b in parts)
    assert legend[2] <= plot.width and legend[3] <= plot.height, f"{name}: the legend leaves the page"


def test_svgs_are_self_contained_and_deterministic(corpus, report, tmp_path):
    preds = predictions(corpus, tmp_path / "preds.jsonl")
    done = run("eval", "--gold", str(corpus), "--predictions", str(preds), "--report", str(tmp_path / "again"))
    assert done.returncode == 0, done.stderr
    for name in PLOTS:
        first = (report / name).read_bytes()
        assert first == (tmp_path / "again" / name).read_bytes(), f"{name} differs between two runs"
        for outside in (b"href", b"<script", b"url(", b"@import"):
            assert outside not in first, f"{name} refers outside itself ({outside!r})"


# --- Rendering ------------------------------------------------------------------------------------

def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if path := shutil.which(name):
            return path
    return None


def decode_png(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Width, height and RGB pixels of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and interlace == 0, f"unsupported PNG: depth {depth}, interlace {interlace}"
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    previous = bytearray(stride)
    pixels = []
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        previous = line
        for i in range(0, stride, channels):
            pixels.append((line[i],) * 3 if channels <= 2 else tuple(line[i:i + 3]))
    return width, height, pixels


@pytest.mark.parametrize("name", PLOTS)
def test_chromium_renders_each_plot(report, name, tmp_path):
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium found (chromium, chromium-browser, google-chrome): apt-get install chromium")
    if not (report / name).is_file():
        pytest.fail(f"{name} missing")
    plot = Plot(report / name)
    shot = tmp_path / (name + ".png")
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--screenshot={shot}",
         f"--window-size={int(plot.width)},{int(plot.height)}", (report / name).as_uri()],
        capture_output=True, text=True, timeout=120)
    assert shot.is_file(), f"chromium wrote no screenshot (exit {done.returncode}): {done.stderr[-2000:]}"
    width, height, pixels = decode_png(shot.read_bytes())
    assert (width, height) == (int(plot.width), int(plot.height))
    colours = set(pixels)
    ink = sum(1 for p in pixels if p != (255, 255, 255)) / len(pixels)
    blue = sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, MODEL_BLUE)) <= 30)
    mean = sum(sum(p) for p in pixels) / (3 * len(pixels))
    variance = sum((sum(p) / 3 - mean) ** 2 for p in pixels) / len(pixels)
    assert len(colours) >= 16, f"{name}: only {len(colours)} colours rendered"
    assert ink >= 0.02 and variance > 100, f"{name}: nearly blank ({ink:.1%} ink, variance {variance:.0f})"
    assert blue >= 40, f"{name}: the model's series (#1f4e9c) is not drawn ({blue} pixels)"


# --- Errors leave no report -----------------------------------------------------------------------

def test_garbage_predictions_are_an_error_without_a_report(corpus, tmp_path):
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("this is not a predictions file\n")
    done = run("eval", "--gold", str(corpus), "--predictions", str(garbage), "--report", str(tmp_path / "report"))
    assert done.returncode != 0
    assert "error" in done.stderr and "garbage.txt" in done.stderr, done.stderr
    assert done.stdout == "", f"a report was printed after the error:\n{done.stdout[:500]}"
    assert not (tmp_path / "report").exists(), "a report directory was written after the error"
