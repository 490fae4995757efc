#!/usr/bin/env bash
# ThreadSanitizer run of the concurrency tests: tests/abuse/ (eight threads calling every
# C function at once, handler start/stop racing server use, re-entrant callbacks) and
# tests/load.rs (100 clients x 1,000 calls with faults, stop/restart in traffic, start/stop
# cycles), with the library, its Rust dependencies and the bundled libzmq all instrumented.
#
# The stable toolchain has no prebuilt instrumented standard library and no rust-src, so
# -Zbuild-std is not available: std itself is not instrumented. RUSTC_BOOTSTRAP=1 enables
# -Zsanitizer=thread on stable. Reports whose every frame lies in std, the test harness or
# libzmq's own lock-free queues are listed in scripts/tsan.supp with the reason; anything else
# fails the run.
#
# Usage: scripts/hardening-tsan.sh [test-name-filter]
set -uo pipefail
cd "$(dirname "$0")/.."
host=$(rustc -vV | sed -n 's/^host: //p')
export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="-Zsanitizer=thread -Cunsafe-allow-abi-mismatch=sanitizer -Cforce-frame-pointers=yes"
export CFLAGS="-fsanitize=thread -g -O1"
export CXXFLAGS="-fsanitize=thread -g -O1"
export TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 history_size=4 suppressions=$PWD/scripts/tsan.supp ${TSAN_OPTIONS:-}"
export ZEROMQ_XOP_ABUSE_SECONDS=${ZEROMQ_XOP_ABUSE_SECONDS:-10}
logdir=target/tsan-logs
mkdir -p "$logdir"
status=0
for t in abuse load; do
    echo "==> $t"
    cargo test --release --target "$host" --target-dir target/tsan --test "$t" -- --test-threads=1 --nocapture ${1:+"$1"} \
        >"$logdir/$t.log" 2>&1
    rc=$?
    warnings=$(grep -c "WARNING: ThreadSanitizer" "$logdir/$t.log")
    grep -E "test result|threads x|LOAD|FAULTS|RESTARTS|CYCLES|ThreadSanitizer: reported" "$logdir/$t.log"
    echo "    ThreadSanitizer warnings: $warnings (log: $logdir/$t.log)"
    if [ $rc -ne 0 ] || [ "$warnings" -ne 0 ]; then
        status=1
    fi
done
exit $status
