#!/usr/bin/env bash
# The test command: installs what is missing, runs the Swift tests, a one-minute fuzz run, then
# the Python interop tests against a freshly built axiomc.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
# A bounded, seeded fuzz run of the built binary (issue #15): zero crashes, zero hangs, every
# non-zero exit with a message. The long run is in BENCHMARKS.md.
python3 scripts/fuzz.py --axiomc .build/debug/axiomc --seconds "${FUZZ_SECONDS:-60}" --seed "${FUZZ_SEED:-1}"
if [ -d Tests/python ]; then
    python3 -m pip install -q -r Tests/python/requirements.txt
    AXIOMC="$PWD/.build/debug/axiomc" python3 -m pytest -q Tests/python
fi
