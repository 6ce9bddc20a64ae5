#!/usr/bin/env bash
# The formatter's lint over the tree (configuration: .swift-format, swift-nio's). Fails on any
# finding; `swift format format -i -r Sources Tests Package.swift` fixes what it can.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! swift format --version >/dev/null 2>&1; then
    echo "lint: 'swift format' is not available (it ships with Swift 6 toolchains)" >&2
    exit 1
fi
swift format lint --strict --parallel -r Sources Tests Package.swift
