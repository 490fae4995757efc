#!/usr/bin/env bash
# Memory checks under valgrind (memcheck), the figures docs/HARDENING.md records:
#  1. 1,000 bind / handler start / call / zeromq_stop cycles (tests/load.rs,
#     start_stop_cycles_do_not_leak) with full leak checking: no definite or indirect leak,
#     no invalid read or write.
#  2. The C-ABI abuse tests (tests/abuse/): NULL pointers, impossible lengths, wrong call
#     order, re-entrant callbacks and eight threads calling everything: no invalid access.
#
# Usage: scripts/hardening-valgrind.sh [cycles]      (default 1000)
# Exit status: 0 when valgrind reports no error and every test passes.
set -uo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-1000}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
logdir=target/valgrind-logs
mkdir -p "$logdir"

cargo test --release --test load --test abuse --no-run 2>&1 | tail -1
bin() { ls -t target/release/deps/"$1"-* | grep -v '\.d$' | head -1; }

status=0
run() {
    local name=$1
    shift
    echo "==> $name"
    valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --num-callers=30 \
        --log-file="$logdir/$name.log" "$@" >"$logdir/$name.out" 2>&1
    local rc=$?
    grep -E "CYCLES|threads x|test result" "$logdir/$name.out"
    grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable" "$logdir/$name.log" | sed 's/^==[0-9]*== /    /'
    if [ $rc -ne 0 ]; then
        echo "FAILED: $name (exit $rc; see $logdir/$name.log)"
        status=1
    fi
}

# valgrind holds freed blocks back and adds shadow memory, so RSS is no measure here; its leak
# report is. The 100-cycle run is the baseline: what is still reachable at exit must not grow
# with the number of cycles.
ZEROMQ_XOP_CYCLES=100 ZEROMQ_XOP_RSS_SLACK_MIB=1024 run cycles-100 "$(bin load)" --exact start_stop_cycles_do_not_leak --test-threads=1 --nocapture
ZEROMQ_XOP_CYCLES=$cycles ZEROMQ_XOP_RSS_SLACK_MIB=1024 run cycles "$(bin load)" --exact start_stop_cycles_do_not_leak --test-threads=1 --nocapture
ZEROMQ_XOP_ABUSE_SECONDS=20 run abuse "$(bin abuse)" --test-threads=1 --nocapture
exit $status
