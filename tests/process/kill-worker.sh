#!/usr/bin/env bash
# A php-fpm worker killed (SIGKILL) while it writes a large session, through
# nginx -> php-fpm (4 workers) -> rustenc. The workers' write path is slowed
# down (strace -f on the php-fpm master and its workers, each write, pwrite,
# ftruncate and rename delayed by KILL_SLOW_MS at its entry) so that a kill
# lands inside it on purpose, not by luck. Each iteration:
#   * one request rewrites the session (~512 KiB spelling out its generation
#     number, so a torn value shows; the size alternates by 4 KiB, as real
#     sessions shrink and grow) in a loop for up to 10 s,
#     session_start .. session_write_close each time, noting each generation
#     written completely in ctl/done-<id>;
#   * after a random delay, kill -9 of the worker serving it (only a child of
#     our php-fpm master): one in four wherever it is, the others as soon as
#     it is found inside the write path: stopped at a slowed system call on a
#     file of the session directory, or at a rename (see kill_in_write_path);
#   * then the next request (a normal, locking session_start) must answer
#     200 at once (no stale lock: well under rustenc.lock_timeout_ms), and
#     the session must open to the last generation completed or the one being
#     written (old or new), whole: never an error, never a torn value.
# A kill counts as landed mid-write only if the killed worker was found
# stopped at the write of its session's record (the pwritev into a slot, see
# docs/FORMAT.md) or left a temporary file behind (it died between creating
# it and renaming it into place, when the file was laid out anew); at least
# KILL_MIN_MIDWRITE of them are required (default: two thirds of the kills
# aimed at the write path), else the test fails: a test whose kills miss the
# write proves nothing. (Kills inside a pwrite, which tear a record, are
# tests/process/kill-slots.sh's.)
# At the end: temporary files left by writes cut short are kept by
# rustenc_gc() while young (they could be a write in progress), and removed
# once older than 60 s (made so with touch); the session itself survives gc.
# KILL_HANDLER=files runs the same against PHP's files handler (it writes in
# place: a shrinking session is truncated, then written, so a kill in between
# loses it); there the test reports FAIL, showing that it can
# (docs/RELIABILITY.md has the figures). Needs root (ptrace of www-data's
# workers, /proc/PID/syscall).
# Env: RUSTENC_KILL_ITERATIONS (20; 100 for the long run), KILL_SESSION_KB
#      (512), KILL_SLOW_MS (20), KILL_MIN_MIDWRITE, KILL_HANDLER (rustenc),
#      RUSTENC_EXT.
set -uo pipefail
iterations=${RUSTENC_KILL_ITERATIONS:-20}
handler=${KILL_HANDLER:-rustenc}
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
stack_time_limit $((90 + iterations * 5)) "$@"
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP kill-worker: needs root to trace and kill the php-fpm workers"
    exit 77
fi
stack_init kill-worker
size=$((${KILL_SESSION_KB:-512} * 1024))
stack_pool "$handler" "$handler"
stack_start
dir=${STACK_POOL_DIR[$handler]}
ctl=$STACK_DIR/ctl

now_ms() { date +%s%3N; }
temps() { find "$dir" -maxdepth 1 -name 'rustenc_tmp.*' | wc -l; }

# Slow the write path of the master's present and future workers. Only the
# calls named are traced, so the rest of a request runs at full speed.
slow_us=$((${KILL_SLOW_MS:-20} * 1000))
calls=write,pwrite64,pwritev,ftruncate,rename,renameat,renameat2
mapfile -t workers < <(stack_workers "$handler")
strace -f -qq -o /dev/null -e trace="$calls" -e inject="$calls:delay_enter=$slow_us" \
    -p "$STACK_FPM_PID" "${workers[@]/#/-p}" 2>"$STACK_DIR/strace.err" &
strace_pid=$!
stack_on_cleanup "kill $strace_pid 2>/dev/null; wait $strace_pid 2>/dev/null"
tracer() { awk '/^TracerPid:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
for _ in $(seq 100); do
    [ "$(tracer "${workers[-1]}")" = "$strace_pid" ] && break
    sleep 0.05
done
for w in "$STACK_FPM_PID" "${workers[@]}"; do
    [ "$(tracer "$w")" = "$strace_pid" ] || stack_fail "strace did not attach to $w: $(cat "$STACK_DIR/strace.err")"
done

# The session: generation 1.
sid=$(curl -sS --max-time 60 -o /dev/null -c - "$(stack_url "$handler" "blob?size=$size")" |
    awk '$6 == "PHPSESSID" { print $7 }')
[ -n "$sid" ] || stack_fail "no session id"
cookie="Cookie: PHPSESSID=$sid"

# Each killed request rewrites the session for up to 10 s, so the kill (after
# a random 0-1 s, then the search for a write in progress) always lands
# inside it, however loaded the machine.
seconds=10

# in_write_path PID: PID is stopped at (the slowed entry of) a write,
# pwrite64, pwritev or ftruncate of a file in the session directory, or a
# rename.
in_write_path() {
    local nr fd target
    read -r nr fd _ <"/proc/$1/syscall" 2>/dev/null || return 1
    case $nr in
    82 | 264 | 316) return 0 ;; # rename, renameat, renameat2
    1 | 18 | 296 | 77)          # write, pwrite64, pwritev, ftruncate
        [[ $fd == 0x* ]] || return 1
        target=$(readlink "/proc/$1/fd/$((fd))" 2>/dev/null) || return 1
        [[ $target == "$dir"/* ]]
        ;;
    *) return 1 ;;
    esac
}

# kill_in_write_path PID: look for PID inside the write path every few ms
# (for up to ~5 s) and kill it there; if never found, kill it wherever it is.
kill_in_write_path() {
    local pid=$1
    for _ in $(seq 1000); do
        [ -e "/proc/$pid" ] || return 0
        if in_write_path "$pid"; then
            kill -KILL "$pid" 2>/dev/null
            aimed_hit=$((aimed_hit + 1))
            hit_now=1
            return 0
        fi
        sleep 0.005
    done
    kill -KILL "$pid" 2>/dev/null
}
old=0 new=0 missed=0 aimed=0 aimed_hit=0 midwrite=0 slowest=0 failures=0 writes=0
prev_gen=1
start=$SECONDS
for it in $(seq "$iterations"); do
    tag=it$it
    rm -f "$ctl/pid-$tag"
    curl -sS --max-time 60 -H "$cookie" -o /dev/null -w '%{http_code}' \
        "$(stack_url "$handler" "blob?size=$size&vary=1&loop=1000000&seconds=$seconds&tag=$tag")" >"$STACK_DIR/killed.out" 2>&1 &
    client=$!
    for _ in $(seq 200); do
        [ -s "$ctl/pid-$tag" ] && break
        sleep 0.05
    done
    pid=$(cat "$ctl/pid-$tag" 2>/dev/null)
    [ -n "$pid" ] || stack_fail "iteration $it: the request never started"
    delay=$((RANDOM % 1000))
    hit_now=0
    sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
    if [ "$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$STACK_FPM_PID" ]; then
        if ((it % 4 == 0)); then
            kill -KILL "$pid" 2>/dev/null # one in four: wherever it is
        else
            aimed=$((aimed + 1))
            kill_in_write_path "$pid"
        fi
    fi
    wait "$client"
    code=$(cat "$STACK_DIR/killed.out")
    [ "$code" = 200 ] && missed=$((missed + 1)) # ran its 10 s: never killed
    # Proof that the kill landed in the write: found at it, or between
    # creating a temporary file and renaming it into place (still there).
    if [ "$hit_now" = 1 ] || compgen -G "$dir/rustenc_tmp.$pid.*" >/dev/null; then
        midwrite=$((midwrite + 1))
    fi

    done_gen=$(tail -n 1 "$ctl/done-$sid" 2>/dev/null)
    writes=$((writes + done_gen - prev_gen))
    prev_gen=$done_gen
    t=$(now_ms)
    read -r status blob gen err < <(curl -sS --max-time 60 -H "$cookie" -o /dev/null \
        -w '%{http_code} %header{x-blob} %header{x-gen} %header{x-error}\n' "$(stack_url "$handler" check)")
    took=$(($(now_ms) - t))
    [ "$took" -gt "$slowest" ] && slowest=$took
    verdict=
    if [ "$status" != 200 ] || [ "$blob" != ok ]; then
        verdict="status=$status blob=$blob error=$err"
    elif [ "$gen" = "$done_gen" ]; then
        old=$((old + 1))
    elif [ "$gen" = "$((done_gen + 1))" ]; then
        new=$((new + 1))
    else
        verdict="generation $gen, but the last completed write was $done_gen"
    fi
    [ "$took" -lt 5000 ] || verdict+=" next request took $took ms (stale lock?)"
    if [ -n "$verdict" ]; then
        failures=$((failures + 1))
        echo "iteration $it (killed after ~${delay} ms, request status $code): $verdict"
        # Start again from a whole session, so one loss is counted once.
        curl -sS --max-time 60 -H "$cookie" -o /dev/null "$(stack_url "$handler" "blob?size=$size")"
        prev_gen=$(tail -n 1 "$ctl/done-$sid" 2>/dev/null)
    fi
done
loop_s=$((SECONDS - start))
kill "$strace_pid" 2>/dev/null
wait "$strace_pid" 2>/dev/null

result="$iterations kills of a $handler worker rewriting a ~$((size / 1024)) KiB session, write path slowed by ${KILL_SLOW_MS:-20} ms a call"
result+=" ($((writes / iterations)) writes per killed request on average):"
result+=" failures=$failures; reads old=$old new=$new (never killed: $missed);"
result+=" $aimed kills aimed at the write path, $aimed_hit found in it;"
if [ "$handler" = files ]; then
    problems=$(stack_php_problems files | wc -l)
    echo "FAIL kill-worker (files, for comparison): $result php warnings=$problems; ${loop_s} s"
    exit 1
fi
min_midwrite=${KILL_MIN_MIDWRITE:-$(((aimed * 2 + 2) / 3))}
result+=" killed mid-write (found at its write, or its temp file left behind): $midwrite (at least $min_midwrite required); slowest next request ${slowest} ms;"

# gc and the leftovers of writes cut short.
left=$(temps)
find "$dir" -maxdepth 1 -name 'rustenc_tmp.*' -exec touch {} +
gc_young=$(stack_gc rustenc)
kept=$(temps)
find "$dir" -maxdepth 1 -name 'rustenc_tmp.*' -exec touch -d '-2 minutes' {} +
gc_old=$(stack_gc rustenc)
after_gc=$(temps)
read -r status blob gen < <(curl -sS --max-time 60 -H "$cookie" -o /dev/null \
    -w '%{http_code} %header{x-blob} %header{x-gen}\n' "$(stack_url rustenc peek)")
problems=$(stack_php_problems rustenc | wc -l)

result+=" temp files: $left left, $kept kept by gc while young, $after_gc after gc at 2 min age"
result+=" (gc returned $gc_young/$gc_old); session after gc: $status $blob gen=$gen;"
result+=" php warnings=$problems; ${loop_s} s"
if [ "$failures" -eq 0 ] && [ "$midwrite" -ge "$min_midwrite" ] && [ "$midwrite" -ge 1 ] &&
    [ "$kept" -eq "$left" ] && [ "$after_gc" -eq 0 ] &&
    [ "$status" = 200 ] && [ "$blob" = ok ] && [ "$problems" -eq 0 ]; then
    echo "PASS kill-worker: $result"
    exit 0
fi
stack_php_problems rustenc | head -5
echo "FAIL kill-worker: $result"
exit 1
