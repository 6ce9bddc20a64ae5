#!/usr/bin/env bash
# The test command: installs what is missing, runs the Swift tests, then the Python interop
# tests against a freshly built axiomc.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
if [ -d Tests/python ]; then
    python3 -m pip install -q -r Tests/python/requirements.txt
    AXIOMC="$PWD/.build/debug/axiomc" python3 -m pytest -q Tests/python
fi
