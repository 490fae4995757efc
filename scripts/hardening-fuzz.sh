#!/usr/bin/env bash
# Coverage-guided fuzzing of every libFuzzer target in fuzz/ for a while each, then a summary
# of executions, coverage and findings per target (the figures docs/HARDENING.md records).
#
# Usage: scripts/hardening-fuzz.sh [minutes-per-target] [target ...]
#   default: 10 minutes for each of phase_a builders logging_template frames handler_wire
#   JOBS=2 runs two targets at a time (one core each); FUZZ_SECONDS=N overrides the minutes
#   (e.g. FUZZ_SECONDS=20 for a short smoke run of the real fuzzer).
#
# cargo-fuzz needs nightly-only compiler flags; on the stable toolchain RUSTC_BOOTSTRAP=1
# enables them (install cargo-fuzz with `cargo install cargo-fuzz`). New inputs go to
# target/fuzz-corpus/<target>/ so the committed seeds in fuzz/corpus/ stay small; a failing
# input lands in fuzz/artifacts/<target>/. Copy each into fuzz/regressions/<target>/ (the
# regular `cargo test` replays that folder through tests/fuzz_regressions.rs) and fix the cause.
set -uo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-10}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(phase_a builders logging_template frames handler_wire)
jobs=${JOBS:-1}
logdir=target/fuzz-logs
mkdir -p "$logdir"

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked || exit 1
export RUSTC_BOOTSTRAP=1
(cd fuzz && cargo fuzz build -O) || { echo "cargo fuzz build failed"; exit 1; }

run_one() {
    local t=$1
    local work=target/fuzz-corpus/$t
    mkdir -p "$work" "fuzz/artifacts/$t"
    (cd fuzz && cargo fuzz run -O "$t" "../$work" "corpus/$t" "regressions/$t" -- \
        -max_total_time="${FUZZ_SECONDS:-$((minutes * 60))}" -timeout=60 -max_len=4096 -rss_limit_mb=4096 \
        -print_final_stats=1) >"$logdir/$t.log" 2>&1
    echo $? >"$logdir/$t.rc"
}

running=0
for t in "${targets[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

status=0
printf '%-18s %12s %9s %8s %8s %s\n' target executions exec/s cov corpus findings
for t in "${targets[@]}"; do
    log=$logdir/$t.log
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    corp=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    crashes=$(find "fuzz/artifacts/$t" -type f 2>/dev/null | wc -l)
    rc=$(cat "$logdir/$t.rc" 2>/dev/null || echo "?")
    findings="none"
    if [ "$rc" != 0 ] || [ "$crashes" -gt 0 ]; then
        findings="exit $rc, $crashes input(s) in fuzz/artifacts/$t (log: $log)"
        status=1
    fi
    printf '%-18s %12s %9s %8s %8s %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${corp:-?}" "$findings"
done
exit $status
