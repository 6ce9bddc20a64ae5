#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build axiomc: libxml2's headers and
# pkg-config. Swift itself must already be on PATH.
set -euo pipefail
if ! command -v swift >/dev/null; then
    echo "setup: swift is not on PATH; install a Swift 6.1+ toolchain first" >&2
    exit 1
fi
if ! pkg-config --exists libxml-2.0 2>/dev/null; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q libxml2-dev pkgconf
fi
