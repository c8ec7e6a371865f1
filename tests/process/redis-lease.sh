#!/usr/bin/env bash
# A request that holds the session lock longer than renewal keeps it cannot
# overwrite the session written by the request that took over. Through
# `php -S` (8 workers) on Redis/Valkey, rustenc.lock_lease_ms=1000 and
# rustenc.lock_max_hold_ms=500 (renewal every 333 ms stops after 500 ms, so
# the lock ends at about 1.3 s):
#   1. "slow" opens the session, stores note=slow and sleeps 2.5 s with the
#      session open (past the cap and one lease);
#   2. 0.3 s later "fast" asks for the same session: it waits for the lock,
#      takes it over when the lease runs out, stores note=fast: 200;
#   3. slow wakes up and closes the session: its write is fenced by its lock
#      token, which no longer owns the lock, so it is refused: 500, with a
#      warning saying the lock was lost (naming the server and the lease, not
#      the session id);
#   4. the session holds note=fast, readable from the other server too;
#   5. and the lock never outlives its lease: while slow sleeps, every key on
#      the server has an expiry (none is permanent).
# Run twice (3 rounds each take 3 s). Then, with the default cap (5 min):
#   renewed: slow (server C) holds the session 2.5 s, 2.5 leases: renewal
#      keeps its lock, fast waits until slow is done (>= 2 s), both writes
#      succeed, the session holds fast's note;
#   killed: slow (server D) holds the session 10 s and its worker is killed
#      (kill -9 of D's workers) 0.5 s in: renewal stops with it, so fast
#      gets the session after about one lease (< 2 s), not 10 s.
# Any other PHP warning fails the test.
# Env: RUSTENC_EXT, RUSTENC_REDIS_SERVER.
set -uo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
# shellcheck source=tests/stack/redis.sh
source "$(dirname "$0")/../stack/redis.sh"
stack_time_limit 90 "$@"
stack_init redis-lease
redis_init
redis_start main
save_path="tcp://127.0.0.1:${REDIS_PORT[main]}?prefix=lease:"
web_start a "$save_path" -d rustenc.lock_lease_ms=1000 -d rustenc.lock_max_hold_ms=500 -d rustenc.lock_timeout_ms=5000
web_start b "$save_path" -d rustenc.lock_lease_ms=1000 -d rustenc.lock_max_hold_ms=500 -d rustenc.lock_timeout_ms=5000
web_start c "$save_path" -d rustenc.lock_lease_ms=1000 -d rustenc.lock_timeout_ms=5000
web_start d "$save_path" -d rustenc.lock_lease_ms=1000 -d rustenc.lock_timeout_ms=5000
status=0
results=()

# round I: one slow/fast race on a fresh session; prints what it saw.
round() {
    local i=$1 sid slow fast peek keys permanent=0 k ttl
    sid=$(web_new_session a)
    [ -n "$sid" ] || { echo "round $i: no session id"; return 1; }
    curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$sid" \
        -w '%{http_code} %header{x-write} %header{x-error}' \
        "$(web_url a 'note?text=slow&hold=2500')" >"$STACK_DIR/slow.$i" 2>&1 &
    local slow_pid=$!
    sleep 0.3
    # While slow holds the session (its lock key exists): no key is permanent.
    keys=$(redis_cli main --scan --pattern '*')
    for k in $keys; do
        ttl=$(redis_cli main PTTL "$k")
        [ "$ttl" -ge 0 ] 2>/dev/null || { permanent=$((permanent + 1)); echo "  key without expiry (PTTL $ttl)"; }
    done
    fast=$(curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$sid" \
        -w '%{http_code} %header{x-write} %{time_total}' "$(web_url b 'note?text=fast')")
    wait "$slow_pid"
    slow=$(cat "$STACK_DIR/slow.$i")
    peek=$(curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$sid" \
        -w '%{http_code} %header{x-note}' "$(web_url a peek)")
    echo "round $i: fast='$fast' slow='${slow:0:3}' final='$peek' keys while held=$(wc -w <<<"$keys") permanent=$permanent"
    echo "  slow's message: ${slow:4}"
    local ok=1
    [[ $fast == "200 ok "* ]] || { echo "  the request that took over failed"; ok=0; }
    [ "$peek" = "200 fast" ] || { echo "  the session is not the one written by the request that took over"; ok=0; }
    [[ $slow == "500 failed "* ]] || { echo "  the write after the lease ran out was not refused"; ok=0; }
    [[ $slow == *"lost its lock"* ]] || { echo "  no warning saying the lock was lost"; ok=0; }
    [[ $slow == *"127.0.0.1:${REDIS_PORT[main]}"* ]] || { echo "  the warning does not name the server"; ok=0; }
    [[ $slow == *1000\ ms* ]] || { echo "  the warning does not name the lease (1000 ms)"; ok=0; }
    [[ $slow == *"at most 500 ms"* ]] || { echo "  the warning does not name the renewal cap (500 ms)"; ok=0; }
    [[ $slow == *"${sid:0:7}"* ]] && { echo "  the warning shows more than 6 characters of the session id"; ok=0; }
    [ "$(wc -w <<<"$keys")" -ge 1 ] || { echo "  no key on the server while the session was held"; ok=0; }
    [ "$permanent" -eq 0 ] || ok=0
    ((ok))
}

for i in 1 2; do
    round "$i" >"$STACK_DIR/round.$i" || status=1
    cat "$STACK_DIR/round.$i"
    results+=("$(head -1 "$STACK_DIR/round.$i")")
done
# renewed: a live request keeps its lock past several leases.
sid=$(web_new_session c)
curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$sid" -w '%{http_code} %header{x-write} %header{x-error}' \
    "$(web_url c 'note?text=slow&hold=2500')" >"$STACK_DIR/slow.renewed" 2>&1 &
slow_pid=$!
sleep 0.3
fast=$(curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$sid" \
    -w '%{http_code} %header{x-write} %{time_total}' "$(web_url b 'note?text=fast')")
wait "$slow_pid"
slow=$(cat "$STACK_DIR/slow.renewed")
peek=$(curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$sid" -w '%{http_code} %header{x-note}' "$(web_url a peek)")
echo "renewed: slow='$slow' fast='$fast' final='$peek'"
[[ $slow == "200 ok"* ]] || { echo "  the request that held the session 2.5 leases lost it"; status=1; }
[[ $fast == "200 ok "* ]] && awk -v t="${fast##* }" 'BEGIN { exit !(t >= 1.9) }' ||
    { echo "  the second request did not wait for the first"; status=1; }
[ "$peek" = "200 fast" ] || { echo "  the session is not the one written last"; status=1; }
results+=("renewed: fast waited ${fast##* } s")

# killed: a killed worker stops renewing; its lock ends one lease later.
sid=$(web_new_session d)
curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$sid" "$(web_url d 'note?text=slow&hold=10000')" >/dev/null 2>&1 &
slow_pid=$!
sleep 0.5
workers=$(pgrep -P "${WEB_PID[d]}" | tr '\n' ' ')
for w in $workers; do kill -9 "$w"; done
fast=$(curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$sid" \
    -w '%{http_code} %header{x-write} %{time_total}' "$(web_url b 'note?text=fast')")
wait "$slow_pid"
peek=$(curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$sid" -w '%{http_code} %header{x-note}' "$(web_url a peek)")
echo "killed: workers killed: $(wc -w <<<"$workers"), fast='$fast' final='$peek'"
[ -n "$workers" ] || { echo "  no worker of D found"; status=1; }
[[ $fast == "200 ok "* ]] && awk -v t="${fast##* }" 'BEGIN { exit !(t < 2.0) }' ||
    { echo "  the lock of the killed worker was not free after about one lease"; status=1; }
[ "$peek" = "200 fast" ] || { echo "  the session is not the one written after the kill"; status=1; }
results+=("killed: fast waited ${fast##* } s")
web_stop d

# The only warnings expected: one lost lock per round, from A (and PHP's own
# "Failed to write session data" after it).
others=$(cat <(web_problems a) <(web_problems b) <(web_problems c) <(web_problems d) | grep -cvE 'lost its lock|Failed to write session data')
lost=$(web_problems a | grep -c 'lost its lock')
[ "$others" -eq 0 ] && [ "$lost" -eq 2 ] ||
    { echo "  PHP log: $lost lost-lock warnings (expected 2), $others others:"; cat <(web_problems a) <(web_problems b) | head -5; status=1; }
summary="$REDIS_FLAVOUR, lease 1000 ms, cap 500 ms, slow holds 2500 ms: ${results[*]}"
if [ "$status" -eq 0 ]; then
    echo "PASS redis-lease $summary"
else
    echo "FAIL redis-lease $summary"
fi
exit "$status"
