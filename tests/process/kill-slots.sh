#!/usr/bin/env bash
# kill -9 at many points of the slot-file write path (docs/FORMAT.md, "Slot
# files"), with PHP's CLI (no server): a writer process rewrites one session
# generation after generation, sizes chosen so that most writes go into a slot
# in place (one pwritev of head, envelope and trailer) and some outgrow the slots and lay the file out anew
# (temporary file, write, rename), and is killed
#   * by strace at the Nth call of each system call of the write path
#     (`-e inject=CALL:signal=SIGKILL:when=N`: openat, flock, fstat,
#     newfstatat, pread64, pwrite64, pwritev, write, rename/renameat/renameat2,
#     utimensat, close), N running over every call the writer makes, and
#   * right after a write cut at byte L of the slots, for every L of each
#     record's header and trailer and every 37th of its envelope (a file size
#     limit stops the write there, and the next write kills the writer with
#     SIGXFSZ: what a SIGKILL between two pages of a pwrite leaves), and
#   * at random moments while it rewrites a ~1 MiB session, to land inside a
#     pwrite (Linux stops a write to a file between pages on SIGKILL): the
#     file is then inspected for a record cut short (a slot whose sequence
#     number is newer than the newest whole record's).
# After every kill a new process reads the session: it must get the last
# generation the writer completed or the one it was writing, whole, with no
# warning; never an error, never an empty or torn session.
# Checked to fail (a generation older than the last completed is read) with
# a build that writes each record into the slot holding the newest one.
# Env: RUSTENC_EXT, KILL_SLOTS_RANDOM (random kills, 10), KILL_SLOTS_STEP
#      (take every Nth call of each kind, 1).
set -uo pipefail
[ -n "${KILL_SLOTS_LIMITED:-}" ] ||
    exec timeout -k 10 900 env KILL_SLOTS_LIMITED=1 bash "$0" "$@"
cd "$(dirname "$0")/../.." || exit 1
ext=${RUSTENC_EXT:-$PWD/target/release/librustenc.so}
if ! command -v strace >/dev/null; then
    echo "SKIP kill-slots: strace is not installed"
    exit 77
fi
tmp=$(mktemp -d "${RUSTENC_TEST_TMP:-$PWD/target}/kill-slots.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dir=$tmp/sessions
mkdir -m 0700 "$dir"
key=$(head -c 32 /dev/urandom | base64)

run_php() {
    exec_php "$@" &
    wait $!
}

# exec_php ARGS: this (sub)shell becomes the PHP process, so `exec_php ... &`
# gives the PID of PHP itself, to kill.
exec_php() {
    exec env -i PATH="$PATH" RUSTENC_KEY="$key" php -n -d extension="$ext" \
        -d session.save_handler=rustenc -d session.save_path="$dir" \
        -d session.use_cookies=0 -d session.cache_limiter= -d session.use_strict_mode=0 \
        -d display_errors=1 -d error_reporting=-1 -d log_errors=0 -d html_errors=0 \
        -d rustenc.check_settings=0 -d rustenc.max_size=4194304 "$@"
}

# writer.php ID DONE_FILE FIRST SIZES...: generation g (FIRST, FIRST+1, ...)
# has the next size of SIZES and spells out g; each generation completed is
# appended to DONE_FILE after session_write_close() returned true.
cat >"$tmp/writer.php" <<'PHP'
<?php
[, $id, $done, $first] = $argv;
$sizes = array_slice($argv, 4);
foreach ($sizes as $i => $size) {
    $gen = $first + $i;
    session_id($id);
    session_start();
    $_SESSION['gen'] = $gen;
    $_SESSION['blob'] = str_repeat(sprintf('%08d', $gen), intdiv((int)$size, 8));
    if (session_write_close()) {
        file_put_contents($done, "$gen\n", FILE_APPEND);
    }
}
PHP
# reader.php ID: "GEN ok" for a whole session, "0 empty" for none yet,
# anything else is a failure.
cat >"$tmp/reader.php" <<'PHP'
<?php
session_id($argv[1]);
if (!session_start()) {
    echo "session_start failed\n";
    exit;
}
$gen = $_SESSION['gen'] ?? 0;
$blob = $_SESSION['blob'] ?? '';
if ($gen === 0) {
    echo $_SESSION === [] ? "0 empty\n" : "0 garbage\n";
} elseif ($blob !== '' && $blob === str_repeat(sprintf('%08d', $gen), intdiv(strlen($blob), 8))) {
    echo "$gen ok\n";
} else {
    echo "$gen torn\n";
}
PHP
# torn.php FILE: how many slots hold a record cut short (docs/FORMAT.md): a
# sequence number newer than the newest whole record's, without its trailer.
cat >"$tmp/torn.php" <<'PHP'
<?php
$f = @file_get_contents($argv[1]);
if ($f === false || substr($f, 0, 4) !== 'RENS') {
    echo "0\n";
    exit;
}
$c = unpack('N', $f, 8)[1];
[$whole, $heads] = [0, []];
foreach ([0, 1] as $slot) {
    $at = 16 + $slot * $c;
    if (strlen($f) < $at + 12) continue;
    $seq = unpack('J', $f, $at)[1];
    $len = unpack('N', $f, $at + 8)[1];
    $heads[] = $seq;
    if ($seq > 0 && $len + 20 <= $c && strlen($f) >= $at + 20 + $len
        && unpack('J', $f, $at + 12 + $len)[1] === $seq) {
        $whole = max($whole, $seq);
    }
}
echo count(array_filter($heads, fn($s) => $s > $whole)), "\n";
PHP

# Sizes: in place (200 B, 1 KiB), then outgrowing the slots (3 KiB, 12 KiB,
# 50 KiB, 200 KiB: each a new layout), and in place again.
sizes=(200 1000 3000 200 12000 1000 50000 200 200000 1000 300)
failures=0 checks=0 points=0
declare -A hits=()

# check ID DONE_FILE WHAT: the next request sees the last completed
# generation or the next one, whole, with no warning.
check() {
    local id=$1 done_file=$2 what=$3 done out gen verdict
    done=$(tail -n 1 "$done_file" 2>/dev/null)
    done=${done:-0}
    out=$(run_php "$tmp/reader.php" "$id" 2>&1)
    checks=$((checks + 1))
    read -r gen verdict <<<"$out"
    if [ "$(wc -l <<<"$out")" -ne 1 ] || { [ "$verdict" != ok ] && [ "$out" != "0 empty" ]; } ||
        { [ "$gen" != "$done" ] && [ "$gen" != "$((done + 1))" ]; }; then
        failures=$((failures + 1))
        echo "after $what: last completed generation $done, the next request got: $out"
        return 1
    fi
}

# How often the writer makes each call, unkilled, and how many of those
# PHP's own start and end make (a writer with nothing to write): the kills
# go to the calls in between.
calls=openat,flock,fstat,newfstatat,pread64,pwrite64,pwritev,write,rename,renameat,renameat2,utimensat,close
count_calls() {
    strace -f -c -U name,calls -e trace="$calls" -o "$tmp/counts-$1" \
        env -i PATH="$PATH" RUSTENC_KEY="$key" php -n -d extension="$ext" \
        -d session.save_handler=rustenc -d session.save_path="$dir" -d session.use_cookies=0 \
        -d session.cache_limiter= -d rustenc.check_settings=0 -d rustenc.max_size=4194304 \
        "$tmp/writer.php" "$1" "$tmp/done-$1" 1 "${@:2}" >/dev/null 2>&1
    grep -E '^[a-z0-9]+ +[0-9]+$' "$tmp/counts-$1" | grep -v '^total '
}
declare -A base=()
while read -r call count; do base[$call]=$count; done < <(count_calls count0)
count_calls count1 "${sizes[@]}" >"$tmp/counts"
[ "$(tail -n 1 "$tmp/done-count1")" = "${#sizes[@]}" ] || {
    echo "FAIL kill-slots: the writer did not complete unkilled"
    exit 1
}
step=${KILL_SLOTS_STEP:-1}
n=0
while read -r call count; do
    [[ $call =~ ^[a-z0-9]+$ ]] && [[ $count =~ ^[0-9]+$ ]] || continue
    for ((when = ${base[$call]:-0} + 1; when <= count; when += step)); do
        n=$((n + 1))
        id=strace$n
        (strace -f -qq -o /dev/null -e trace="$call" -e inject="$call:signal=SIGKILL:when=$when" \
            env -i PATH="$PATH" RUSTENC_KEY="$key" php -n -d extension="$ext" \
            -d session.save_handler=rustenc -d session.save_path="$dir" -d session.use_cookies=0 \
            -d session.cache_limiter= -d rustenc.check_settings=0 -d rustenc.max_size=4194304 \
            "$tmp/writer.php" "$id" "$tmp/done-$id" 1 "${sizes[@]}" >/dev/null 2>&1) &
        wait $! 2>/dev/null
        points=$((points + 1))
        done=$(tail -n 1 "$tmp/done-$id" 2>/dev/null)
        # Killed before the last generation was complete.
        [ "${done:-0}" -lt "${#sizes[@]}" ] && hits[$call]=$((${hits[$call]:-0} + 1))
        check "$id" "$tmp/done-$id" "a kill at $call #$when"
    done
done <"$tmp/counts"

# A write cut at every byte L of the slots (every byte of each record's
# sequence number, length and trailer, every 37th of its envelope): the
# writer runs under a file size limit L (prlimit --fsize), so the kernel
# writes the record up to L and stops, and the writer's next write at L
# kills it with SIGXFSZ: the state a SIGKILL between two pages of a pwrite
# leaves (or a disk that filled up at L, and a crash). Generations 1 and 2
# are written first, unlimited (record 2 in slot 1, record 3 in slot 0 of a
# file laid out for the new session: C = 2040); generation 3 goes into
# slot 1, and 4 into slot 0.
cut_points=0
record=$((1000 + 73 + 20 + 17)) # data + envelope + record overhead, rounded up
offsets=()
for slot_start in 16 $((16 + 2040)); do
    for ((k = 0; k < record; k++)); do
        if ((k < 24 || k > record - 24 || k % 37 == 0)); then
            offsets+=($((slot_start + k)))
        fi
    done
done
for limit in "${offsets[@]}"; do
    id=cut$limit
    run_php "$tmp/writer.php" "$id" "$tmp/done-$id" 1 1000 1000 >/dev/null 2>&1
    (exec prlimit --fsize="$limit" env -i PATH="$PATH" RUSTENC_KEY="$key" php -n -d extension="$ext" \
        -d session.save_handler=rustenc -d session.save_path="$dir" -d session.use_cookies=0 \
        -d session.cache_limiter= -d rustenc.check_settings=0 \
        "$tmp/writer.php" "$id" "$tmp/done-$id" 3 1000 1000 >/dev/null 2>&1) &
    wait $! 2>/dev/null
    cut_points=$((cut_points + 1))
    check "$id" "$tmp/done-$id" "a write cut at byte $limit" || true
done

# Random moments, ~1 MiB session rewritten in place (capacity laid out by
# the first write), to land inside a pwrite.
random=${KILL_SLOTS_RANDOM:-10}
big=()
for _ in $(seq 200); do big+=(1048000); done
torn_seen=0
for i in $(seq "$random"); do
    id=random$i
    exec_php "$tmp/writer.php" "$id" "$tmp/done-$id" 1 "${big[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep "0.$(printf '%03d' $((200 + RANDOM % 600)))"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    torn=$(php -n "$tmp/torn.php" "$dir/rustenc_$id")
    torn_seen=$((torn_seen + torn))
    check "$id" "$tmp/done-$id" "a random kill (#$i)"
done

summary="$points kills by strace at every call of the write path ("
for c in "${!hits[@]}"; do summary+="$c=${hits[$c]} "; done
summary="${summary% }), $cut_points writes cut at a byte of the slots and killed (SIGXFSZ), plus $random at random moments of ~1 MiB rewrites ($torn_seen left a record cut short);"
summary+=" $checks reads after a kill, failures=$failures"
renames=$((${hits[rename]:-0} + ${hits[renameat]:-0} + ${hits[renameat2]:-0}))
in_place=$((${hits[pwrite64]:-0} + ${hits[pwritev]:-0}))
if [ "$failures" -eq 0 ] && [ "$in_place" -gt 0 ] && [ "$renames" -gt 0 ] &&
    [ "$cut_points" -gt 0 ]; then
    echo "PASS kill-slots: $summary"
    exit 0
fi
echo "FAIL kill-slots: $summary"
exit 1
