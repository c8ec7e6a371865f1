#!/usr/bin/env bash
# Fuzz corpus replay, on the stable toolchain (no nightly, no libFuzzer):
# builds fuzz/examples/replay.rs and runs every file of fuzz/seeds/ (the
# committed seed corpus), fuzz/regressions/ (committed reproducers) and, when
# present locally, fuzz/corpus/ and fuzz/artifacts/ (what `cargo fuzz run`
# grew and found) through the same checks the fuzz targets run
# (fuzz/src/lib.rs): envelope open/peek/tamper, save_path, session id, key.
# The build shares target/ with the main crate, so cargo test's dependencies
# are reused. Env: FUZZ_REPLAY_DIRS (directories to replay instead).
set -uo pipefail
[ -n "${FUZZ_REPLAY_LIMITED:-}" ] ||
    exec timeout -k 10 170 env FUZZ_REPLAY_LIMITED=1 bash "$0" "$@"
cd "$(dirname "$0")/../.." || exit 1
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
start=$SECONDS
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
if ! CARGO_TARGET_DIR=$PWD/target cargo build --quiet --manifest-path fuzz/Cargo.toml \
    --no-default-features --example replay >"$build_log" 2>&1; then
    cat "$build_log"
    echo "FAIL fuzz-corpus: the replay did not build"
    exit 1
fi
built=$((SECONDS - start))
dirs=()
for d in ${FUZZ_REPLAY_DIRS:-fuzz/seeds fuzz/regressions fuzz/corpus fuzz/artifacts}; do
    [ -d "$d" ] && dirs+=("$d")
done
out=$(target/debug/examples/replay "${dirs[@]}" 2>&1)
status=$?
echo "$out"
summary=$(echo "$out" | tail -1)
if [ "$status" -eq 0 ]; then
    echo "PASS fuzz-corpus: $summary (dirs: ${dirs[*]}; build ${built} s, total $((SECONDS - start)) s)"
else
    echo "FAIL fuzz-corpus: $summary (dirs: ${dirs[*]})"
fi
exit "$status"
