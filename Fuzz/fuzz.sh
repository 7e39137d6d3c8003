#!/usr/bin/env bash
# Runs libFuzzer targets for a given time each and sorts what they find.
#   Fuzz/fuzz.sh SECONDS TARGET...     (from the repository root; `make fuzz` calls it)
# Layout under .build-fuzz/: seeds/<target> (made by fuzz-seeds), corpus/<target>
# (what libFuzzer keeps; grows across runs), findings/<target>/ (crash-*, leak-*,
# timeout-*, oom-* inputs) and findings/<target>.log.
#
# The HDF5 targets (fuzz-tokens, fuzz-embedded, fuzz-model) run in fork mode
# and go on past a crash: libhdf5 1.10 has known memory-safety bugs in its
# decoders of corrupt files (see Fuzz/README.md), and a run that stopped at the
# first of them would never reach our readers' own checks. Every saved input
# is replayed afterwards and classified by where it fails: in libhdf5's code
# (reported, not ours to fix) or in ours (a Swift trap, or a frame of
# Sources/ at the top of the stack) — the latter fails the run.
#
# Their timeout is 2 s, not 10: one input takes milliseconds, and the hangs
# they find are libhdf5's (loops over corrupt global heaps), each of which
# otherwise cost 10 s of a run's wall time.
set -uo pipefail
seconds=$1; shift
build=.build-fuzz
bin=$build/debug
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=suppressions=$PWD/Fuzz/lsan-suppressions.txt:print_suppressions=0
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(dirname "$(command -v swift)")/llvm-symbolizer}
status=0

# Where a saved input fails: "ours: …", "libhdf5: …" or "does not reproduce".
classify() {
    local target=$1 input=$2 limit=$3 log
    log=$(timeout 60 "$bin/$target" -runs=1 -timeout="$limit" -rss_limit_mb=2048 "$input" 2>&1)
    if grep -q "Fatal error" <<<"$log"; then
        echo "ours: $(grep -m1 'Fatal error' <<<"$log" | cut -c1-200)"; return 1
    fi
    local frame
    frame=$(grep -E '^ +#[0-9]+ ' <<<"$log" | grep -vE 'asan|sanitizer|libFuzzer|fuzzer::|libc\.so|compiler-rt|libswiftCore' | head -1)
    if [ -z "$frame" ]; then
        grep -qE 'ERROR|SUMMARY' <<<"$log" && { echo "ours: $(grep -m1 -E 'ERROR|SUMMARY' <<<"$log")"; return 1; }
        echo "does not reproduce"; return 0
    fi
    if grep -q 'libhdf5' <<<"$frame"; then
        echo "libhdf5: $(grep -m1 -E 'ERROR: [A-Za-z]+Sanitizer' <<<"$log" | sed 's/==[0-9]*==//' | cut -c1-120) in$(sed -E 's/.* in ([^ ]+).*/ \1/' <<<"$frame")"
        return 0
    fi
    echo "ours: $(sed -E 's/^ +#[0-9]+ 0x[0-9a-f]+ in //' <<<"$frame" | cut -c1-200)"; return 1
}

for target in "$@"; do
    mkdir -p "$build/corpus/$target" "$build/findings/$target"
    log=$build/findings/$target.log
    case $target in
        fuzz-tokens|fuzz-embedded|fuzz-model) mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1); limit=2 ;;
        *) mode=(); limit=10 ;;
    esac
    start=$(date +%s)
    "$bin/$target" "${mode[@]}" -max_total_time="$seconds" -timeout="$limit" -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/findings/$target/" "$build/corpus/$target" "$build/seeds/$target" >"$log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - start ))
    # Executions: the final stats, or in fork mode the last "#N:" status line.
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
    [ -z "$runs" ] && runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    echo "$target: ${runs:-0} executions in ${elapsed}s (libFuzzer exit $rc)"
    for input in "$build/findings/$target"/*; do
        [ -f "$input" ] || continue
        verdict=$(classify "$target" "$input" "$limit") || status=1
        echo "  $(basename "$input"): $verdict"
    done
    if [ $rc -ne 0 ] && [ ${#mode[@]} -eq 0 ]; then status=1; fi
done
exit $status
