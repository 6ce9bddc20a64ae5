#!/usr/bin/env bash
# Builds the self-contained binary dist/axiomc: release, the Swift runtime and Foundation linked
# statically (--static-swift-stdlib), libxml2 and its dependencies (ICU, zlib, liblzma) linked
# statically from libxml2-dev's archives when they are installed (AXIOMC_DYNAMIC_XML=1 keeps
# libxml2 dynamic). Then runs it from an empty directory with the Swift toolchain off PATH.
#   bash scripts/dist.sh            # build + check
#   AXIOMC_DIST_SCRATCH=DIR         # build folder (default .build-release)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scratch=${AXIOMC_DIST_SCRATCH:-.build-release}
start=$(date +%s)

libdir=$(pkg-config --variable=libdir libxml-2.0 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)
if [ "${AXIOMC_DYNAMIC_XML:-0}" != 1 ] && [ -f "$libdir/libxml2.a" ]; then
  # A pkg-config file of our own sends `-lxml2` (the module map's link) to a folder whose
  # libxml2.so is a linker script grouping libxml2.a with the archives it needs (pkg-config's
  # Libs.private), so the linker resolves them statically and in any order.
  static="$root/$scratch/static-libxml2"
  group=()
  for lib in xml2 icui18n icuuc icudata z lzma; do
    [ -f "$libdir/lib$lib.a" ] || { echo "dist.sh: $libdir/lib$lib.a is missing (install libxml2-dev; or AXIOMC_DYNAMIC_XML=1)" >&2; exit 1; }
    group+=("$libdir/lib$lib.a")
  done
  mkdir -p "$static"
  echo "GROUP ( ${group[*]} )" > "$static/libxml2.so"
  printf 'Name: libXML\nDescription: libxml2, linked statically for dist.sh\nVersion: %s\nLibs: -L%s -lxml2\nCflags: %s\n' \
    "$(pkg-config --modversion libxml-2.0)" "$static" "$(pkg-config --cflags libxml-2.0)" > "$static/libxml-2.0.pc"
  export PKG_CONFIG_PATH="$static${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  linkage="libxml2 static"
else
  linkage="libxml2 dynamic"
fi

swift build -c release --static-swift-stdlib --product axiomc --scratch-path "$scratch"
mkdir -p dist
cp "$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/axiomc" dist/axiomc
strip dist/axiomc 2>/dev/null || true
built=$(date +%s)

# The check: an empty directory, no toolchain on PATH, no library path into it.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp dist/axiomc "$tmp/axiomc"
if ldd "$tmp/axiomc" | grep -E 'swift|not found'; then echo "dist.sh: dist/axiomc still needs the libraries above" >&2; exit 1; fi
(
  cd "$tmp"
  run() { env -i PATH=/usr/bin:/bin HOME="$tmp" ./axiomc "$@"; }
  run --version
  run compile smoke --out smoke --jobs 2 >/dev/null
  run check smoke >/dev/null
  run compile default --out default >/dev/null && rm -rf default
  run sample --grammar paper --family chain --nodes 4 --count 1 --seed 1 >/dev/null
  [ "$(run compile smoke --stdout --split train | sha256sum)" = "$(cat smoke/train/*.jsonl | sha256sum)" ]
  [ ! -e Grammars ] && [ ! -e Corpora ]
)
echo "dist/axiomc: $(du -h dist/axiomc | cut -f1), $linkage; built in $((built - start)) s; runs from an empty directory without the toolchain"
ldd dist/axiomc | sed 's/^/  /'
