#!/usr/bin/env bash
# The test command: installs what is missing, lints the Swift sources (scripts/lint.sh), runs the
# Swift tests, a one-minute fuzz run, then the Python interop tests against a freshly built axiomc.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The formatter's lint (.swift-format): any finding fails the run.
bash scripts/lint.sh
swift build --build-tests
swift test --skip-build
# A bounded, seeded fuzz run of the built binary (issue #15): zero crashes, zero hangs, every
# non-zero exit with a message. The long run is in BENCHMARKS.md.
python3 scripts/fuzz.py --axiomc .build/debug/axiomc --seconds "${FUZZ_SECONDS:-60}" --seed "${FUZZ_SEED:-1}"
if [ -d Tests/python ]; then
    python3 -m pip install -q -r Tests/python/requirements.txt
    # The learnability smoke test (Tests/python/test_learnability.py) needs torch; the CPU wheel
    # (it skips, saying so, where none can be installed).
    python3 -m pip install -q torch==2.13.0 || echo "test: could not install torch; the learnability smoke test will skip" >&2
    # The eval report's browser test (Tests/python/test_report_browser.py) renders its SVG plots
    # in headless Chromium (Debian package chromium); it skips, saying so, only without one.
    if ! command -v chromium >/dev/null 2>&1; then
        SUDO=""
        if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
        { $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium; } ||
            echo "test: could not install chromium; the browser test will skip" >&2
    fi
    AXIOMC="$PWD/.build/debug/axiomc" python3 -m pytest -q Tests/python
fi
# The self-contained binary (dist.sh also runs it from an empty directory with the toolchain off
# PATH), then its wheel, installed into a fresh virtual environment and tested from a directory
# outside the checkout. The venv sees the system site-packages only for pytest and datasets
# (installed above); axiomc itself comes from the wheel. AXIOMC_TEST_DIST=0 skips this part
# (its release build takes ~6 minutes from a clean checkout on 2 cores).
if [ "${AXIOMC_TEST_DIST:-1}" = 0 ]; then exit 0; fi
bash scripts/dist.sh
bash scripts/wheel.sh
python_tmp=$(mktemp -d)
trap 'rm -rf "$python_tmp"' EXIT
python3 -m venv --system-site-packages "$python_tmp/venv"
"$python_tmp/venv/bin/python" -m pip install -q --no-deps --no-index dist/axiomc-*.whl
cp -r python/tests "$python_tmp/tests"
(cd "$python_tmp" && env -u AXIOMC_BIN -u AXIOMC_PATH -u AXIOMC_GRAMMARS "$python_tmp/venv/bin/python" -m pytest -q -p no:cacheprovider tests)
