#!/usr/bin/env bash
# A php-fpm worker killed (SIGKILL) at a random point while it writes a large
# session, through nginx -> php-fpm (4 workers) -> rustenc. Each iteration:
#   * one request rewrites the session (512 KiB spelling out its generation
#     number, so a torn value shows) in a loop for up to 10 s,
#     session_start .. session_write_close each time, noting each generation
#     written completely in ctl/done-<id>;
#   * after a random delay, kill -9 of the worker serving it (only a child of
#     our php-fpm master): one in four wherever it is, the others when
#     found inside a write (see kill_mid_write);
#   * then the next request (a normal, locking session_start) must answer
#     200 at once (no stale lock: well under rustenc.lock_timeout_ms), and
#     the session must open to the last generation completed or the one being
#     written (old or new), whole: never an error, never a torn value.
# At the end: temporary files left by writes cut short are kept by
# rustenc_gc() while young (they could be a write in progress), and removed
# once older than 60 s (made so with touch); the session itself survives gc.
# Env: RUSTENC_KILL_ITERATIONS (20; 100 for the long run), KILL_SESSION_KB
#      (512), RUSTENC_EXT.
set -uo pipefail
iterations=${RUSTENC_KILL_ITERATIONS:-20}
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/stack/lib.sh"
stack_time_limit $((90 + iterations * 5)) "$@"
stack_init kill-worker
size=$((${KILL_SESSION_KB:-512} * 1024))
stack_pool rustenc rustenc
stack_start
dir=${STACK_POOL_DIR[rustenc]}
ctl=$STACK_DIR/ctl

now_ms() { date +%s%3N; }
temps() { find "$dir" -maxdepth 1 -name 'rustenc_tmp.*' | wc -l; }

# The session: generation 1.
sid=$(curl -sS --max-time 60 -o /dev/null -c - "$(stack_url rustenc "blob?size=$size")" |
    awk '$6 == "PHPSESSID" { print $7 }')
[ -n "$sid" ] || stack_fail "no session id"
cookie="Cookie: PHPSESSID=$sid"

# Each killed request rewrites the session for up to 10 s, so the kill (after
# a random 0-1 s, then the search for a write in progress) always lands
# inside it, however loaded the machine.
seconds=10
# stopped PID: whether the process is stopped (state T in /proc/PID/stat).
stopped() {
    local stat
    for _ in $(seq 200); do
        read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
        stat=${stat##*) }
        [ "${stat:0:1}" = T ] && return 0
        sleep 0.001
    done
    return 1
}

# kill_mid_write PID: a kill at a random point usually misses the write
# itself (most of a request is PHP work), so: freeze the worker (SIGSTOP),
# and if it holds one of its temporary files (rustenc_tmp.<pid>.<n>: between
# creating it and renaming it into place) kill it there; else let it run a
# few ms and look again. After 100 looks, kill it wherever it is.
kill_mid_write() {
    local pid=$1
    for _ in $(seq 100); do
        kill -STOP "$pid" 2>/dev/null || return 0
        if stopped "$pid" && compgen -G "$dir/rustenc_tmp.$pid.*" >/dev/null; then
            kill -KILL "$pid" 2>/dev/null
            midwrite=$((midwrite + 1))
            return 0
        fi
        kill -CONT "$pid" 2>/dev/null
        sleep "0.00$((RANDOM % 5))"
    done
    kill -KILL "$pid" 2>/dev/null
}

old=0 new=0 missed=0 midwrite=0 leftover=0 slowest=0 failures=0 writes=0
prev_gen=1
start=$SECONDS
for it in $(seq "$iterations"); do
    tag=it$it
    rm -f "$ctl/pid-$tag"
    before=$(temps)
    curl -sS --max-time 60 -H "$cookie" -o /dev/null -w '%{http_code}' \
        "$(stack_url rustenc "blob?size=$size&loop=1000000&seconds=$seconds&tag=$tag")" >"$STACK_DIR/killed.out" 2>&1 &
    client=$!
    for _ in $(seq 200); do
        [ -s "$ctl/pid-$tag" ] && break
        sleep 0.05
    done
    pid=$(cat "$ctl/pid-$tag" 2>/dev/null)
    [ -n "$pid" ] || stack_fail "iteration $it: the request never started"
    delay=$((RANDOM % 1000))
    sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
    if [ "$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$STACK_FPM_PID" ]; then
        if ((it % 4 == 0)); then
            kill -KILL "$pid" 2>/dev/null # one in four: wherever it is
        else
            kill_mid_write "$pid"
        fi
    fi
    wait "$client"
    code=$(cat "$STACK_DIR/killed.out")
    [ "$code" = 200 ] && missed=$((missed + 1)) # ran its 10 s: never killed
    after=$(temps)
    [ "$after" -gt "$before" ] && leftover=$((leftover + 1))

    done_gen=$(tail -n 1 "$ctl/done-$sid" 2>/dev/null)
    writes=$((writes + done_gen - prev_gen))
    prev_gen=$done_gen
    t=$(now_ms)
    read -r status blob gen err < <(curl -sS --max-time 60 -H "$cookie" -o /dev/null \
        -w '%{http_code} %header{x-blob} %header{x-gen} %header{x-error}\n' "$(stack_url rustenc check)")
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
    fi
done
loop_s=$((SECONDS - start))

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

result="$iterations kills of a worker rewriting a $((size / 1024)) KiB session ($((writes / iterations)) writes per killed request on average):"
result+=" failures=$failures; reads old=$old new=$new (never killed: $missed);"
result+=" killed mid-write (frozen holding its temp file): $midwrite, leaving a temp file: $leftover; slowest next request ${slowest} ms;"
result+=" temp files: $left left, $kept kept by gc while young, $after_gc after gc at 2 min age"
result+=" (gc returned $gc_young/$gc_old); session after gc: $status $blob gen=$gen;"
result+=" php warnings=$problems; ${loop_s} s"
if [ "$failures" -eq 0 ] && [ "$kept" -eq "$left" ] && [ "$after_gc" -eq 0 ] &&
    [ "$status" = 200 ] && [ "$blob" = ok ] && [ "$problems" -eq 0 ]; then
    echo "PASS kill-worker: $result"
    exit 0
fi
stack_php_problems rustenc | head -5
echo "FAIL kill-worker: $result"
exit 1
