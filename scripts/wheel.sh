#!/usr/bin/env bash
# Builds the platform wheel dist/axiomc-<version>-py3-none-<platform>.whl around dist/axiomc
# (run scripts/dist.sh first; this runs it when dist/axiomc is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x dist/axiomc ] || bash scripts/dist.sh
mkdir -p python/src/axiomc/bin
cp dist/axiomc python/src/axiomc/bin/axiomc
chmod 755 python/src/axiomc/bin/axiomc
rm -rf python/build python/src/axiomc.egg-info dist/axiomc-*.whl
python3 -m pip wheel -q --no-deps -w dist ./python
rm -rf python/build python/src/axiomc.egg-info
ls dist/axiomc-*.whl
