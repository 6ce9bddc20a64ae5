#!/usr/bin/env bash
# Builds the platform wheel dist/axiomc-<version>-py3-none-manylinux_2_X_<arch>.whl around
# dist/axiomc (run scripts/dist.sh first; this runs it when dist/axiomc is missing), and checks it.
# The tag comes from the binary (scripts/manylinux.py): X is the highest GLIBC_2.X it requires
# (raised if its libstdc++/libgcc_s versions need a later manylinux policy), and the build fails
# when the binary needs a shared library outside glibc, libstdc++ and libgcc_s, or GLIBC_PRIVATE.
# Then `auditwheel show` must report the same manylinux_2_X: from python3 if it has auditwheel,
# else from a throwaway venv (pip install auditwheel); if that cannot be installed (offline), the
# readelf check stands alone, saying so. AXIOMC_AUDITWHEEL=0 skips auditwheel.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x dist/axiomc ] || bash scripts/dist.sh
platform=$(python3 scripts/manylinux.py tag dist/axiomc) || {
    echo "wheel.sh: dist/axiomc is not a manylinux binary (above); no wheel built" >&2; exit 1; }
mkdir -p python/src/axiomc/bin
cp dist/axiomc python/src/axiomc/bin/axiomc
chmod 755 python/src/axiomc/bin/axiomc
rm -rf python/build python/src/axiomc.egg-info dist/axiomc-*.whl
AXIOMC_WHEEL_PLATFORM=$platform python3 -m pip wheel -q --no-deps -w dist ./python
rm -rf python/build python/src/axiomc.egg-info
wheel=$(ls dist/axiomc-*.whl)
case "$wheel" in
    *"-py3-none-$platform.whl") ;;
    *) echo "wheel.sh: built $wheel, expected the tag py3-none-$platform" >&2; exit 1 ;;
esac
if [ "${AXIOMC_AUDITWHEEL:-1}" != 0 ]; then
    rc=0
    python3 scripts/manylinux.py audit "$wheel" "$platform" || rc=$?
    if [ "$rc" = 2 ]; then
        echo "wheel.sh: installing auditwheel in a throwaway venv" >&2
        audit_tmp=$(mktemp -d)
        trap 'rm -rf "$audit_tmp"' EXIT
        if python3 -m venv "$audit_tmp/venv" && "$audit_tmp/venv/bin/python" -m pip install -q auditwheel; then
            rc=0
            "$audit_tmp/venv/bin/python" scripts/manylinux.py audit "$wheel" "$platform" || rc=$?
        else
            echo "wheel.sh: could not install auditwheel; the tag rests on the readelf check alone" >&2
            rc=0
        fi
    fi
    if [ "$rc" != 0 ]; then
        echo "wheel.sh: $wheel failed the manylinux check (above)" >&2
        exit 1
    fi
fi
echo "$wheel"
