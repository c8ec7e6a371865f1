#!/usr/bin/env bash
# What Redis/Valkey and its operators see: neither session ids nor session
# data. While `php -S` (rustenc on tcp://) serves 12 users (new session,
# increments, a note and a user name carrying a random marker, login with
# session_regenerate_id, unchanged requests that only refresh the expiry
# (lazy_write), logout for half of them) and a request with a forged id
# (strict mode), `redis-cli MONITOR` records every command the server gets.
# Afterwards every key (--scan), the value of every key (GET) and the server's
# dump file (SAVE, rdbcompression off so strings are stored as they are) are
# searched, with the MONITOR log, for:
#   * every session id the users were given or sent, whole or any piece of
#     8 characters;
#   * the markers stored in the sessions.
# Nothing may be found. A control value written directly with SET must be
# found in all four places (else the search proves nothing). Every key must
# have an expiry no longer than session.gc_maxlifetime.
# Env: RUSTENC_EXT, RUSTENC_REDIS_SERVER.
set -uo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
# shellcheck source=tests/stack/redis.sh
source "$(dirname "$0")/../stack/redis.sh"
stack_time_limit 90 "$@"
stack_init redis-monitor
redis_init
redis_start main "rdbcompression no" "dbfilename dump.rdb"
# Ids of 6 bits per character ([0-9a-zA-Z,-]): rustenc's key names are hex,
# and with PHP's default hex ids an 8-character piece of some id would turn up
# in them by chance about once in a hundred runs.
web_start a "tcp://127.0.0.1:${REDIS_PORT[main]}?prefix=mon:" -d session.sid_bits_per_character=6
users=12
marker=PLAIN$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
control=CONTROL$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
status=0

set -m
timeout 60 "$REDIS_CLI" -h 127.0.0.1 -p "${REDIS_PORT[main]}" MONITOR >"$STACK_DIR/monitor.log" 2>&1 &
monitor_pid=$!
set +m
stack_on_cleanup "kill -- -$monitor_pid 2>/dev/null"
for _ in $(seq 50); do [ -s "$STACK_DIR/monitor.log" ] && break; sleep 0.1; done # "OK" once it listens

# user I: a session's life; every response header goes to headers.I.
user() {
    local i=$1 jar=$STACK_DIR/jar.$1 h=$STACK_DIR/headers.$1
    local cu=(curl -sS --max-time 30 -o /dev/null -D "$h.tmp" -c "$jar" -b "$jar" -w '%{http_code}\n')
    {
        for _ in 1 2 3; do "${cu[@]}" "$(web_url a count)"; cat "$h.tmp"; done
        "${cu[@]}" "$(web_url a "note?text=note-$marker-$i")"; cat "$h.tmp"
        "${cu[@]}" -d "user=user-$marker-$i" "$(web_url a login)"; cat "$h.tmp"
        "${cu[@]}" "$(web_url a dashboard)"; cat "$h.tmp"   # unchanged: lazy_write
        "${cu[@]}" "$(web_url a peek)"; cat "$h.tmp"
        [ $((i % 2)) -eq 0 ] && { "${cu[@]}" "$(web_url a logout)"; cat "$h.tmp"; }
        "${cu[@]}" "$(web_url a dashboard)"; cat "$h.tmp"
    } >"$h" 2>&1
}
pids=()
for i in $(seq "$users"); do user "$i" & pids+=($!); done
wait "${pids[@]}"
forged=$(head -c 24 /dev/urandom | base64 | tr -dc 'a-z0-9' | head -c 26)
forged=${forged}forged
curl -sS --max-time 30 -o /dev/null -D "$STACK_DIR/headers.forged" -H "Cookie: PHPSESSID=$forged" \
    -w '%{http_code}\n' "$(web_url a count)" >>"$STACK_DIR/headers.forged"

# The control, then stop MONITOR after the server has logged it.
redis_cli main SET "control:$control" "value-$control" EX 600 >/dev/null
sleep 0.3
kill -- -"$monitor_pid" 2>/dev/null
wait "$monitor_pid" 2>/dev/null

# Every session id handed out (Set-Cookie) or sent (the forged one).
cat "$STACK_DIR"/headers.* | sed -n 's/^Set-Cookie: PHPSESSID=\([^;]*\);.*/\1/p' | grep -v '^deleted$' |
    sort -u >"$STACK_DIR/ids"
echo "$forged" >>"$STACK_DIR/ids"
ids=$(wc -l <"$STACK_DIR/ids")
non200=$(cat "$STACK_DIR"/headers.* | grep -cE '^(5[0-9][0-9])$')
# Needles: each id whole and every 8-character piece of it, the marker.
while read -r id; do
    for ((o = 0; o + 8 <= ${#id}; o++)); do echo "${id:o:8}"; done
done <"$STACK_DIR/ids" >"$STACK_DIR/needles"
echo "$marker" >>"$STACK_DIR/needles"

# Keys, values, expiries; the dump file.
redis_cli main --scan --pattern '*' >"$STACK_DIR/keys"
: >"$STACK_DIR/values"
bad_ttl=0
while read -r k; do
    [ "$k" = "control:$control" ] && { redis_cli main GET "$k" >>"$STACK_DIR/values"; continue; }
    [ "$(redis_cli main TYPE "$k")" = string ] && redis_cli main GET "$k" >>"$STACK_DIR/values"
    ttl=$(redis_cli main PTTL "$k")
    if ! [ "$ttl" -gt 0 ] 2>/dev/null || [ "$ttl" -gt 1440000 ]; then
        bad_ttl=$((bad_ttl + 1))
        echo "  a key with PTTL $ttl (expected 1..1440000)"
    fi
done <"$STACK_DIR/keys"
redis_cli main SAVE >/dev/null
rdb=${REDIS_DIR[main]}/dump.rdb

sources=("$STACK_DIR/monitor.log" "$STACK_DIR/keys" "$STACK_DIR/values" "$rdb")
found=0 no_control=0
for f in "${sources[@]}"; do
    hits=$(grep -aoF -f "$STACK_DIR/needles" "$f" | sort | uniq -c | sort -rn)
    if [ -n "$hits" ]; then
        found=$((found + 1))
        # Show what matched by kind, never the id itself.
        echo "  found in $(basename "$f"): $(grep -c . <<<"$hits") needles," \
            "marker: $(grep -c "$marker" <<<"$hits"), id pieces: $(grep -vc "$marker" <<<"$hits")"
    fi
    grep -aqF "$control" "$f" || { no_control=$((no_control + 1)); echo "  the control is missing from $(basename "$f")"; }
done
commands=$(grep -c '^[0-9]' "$STACK_DIR/monitor.log")
keys=$(grep -vc "^control:" "$STACK_DIR/keys")
line="$REDIS_FLAVOUR: $users users, $ids session ids ($(wc -l <"$STACK_DIR/needles") needles)"
line+=", MONITOR $commands commands, $keys keys, $(wc -c <"$STACK_DIR/values") bytes of values"
line+=", dump $(wc -c <"$rdb") bytes: found in $found of 4 places, control missing in $no_control"
line+=", keys without a bounded expiry $bad_ttl, 5xx responses $non200"
[ "$found" -eq 0 ] && [ "$no_control" -eq 0 ] && [ "$bad_ttl" -eq 0 ] && [ "$non200" -eq 0 ] &&
    [ "$ids" -ge $((users * 2)) ] && [ "$commands" -ge 100 ] && [ "$keys" -ge 1 ] || status=1
problems=$(web_problems a | wc -l)
[ "$problems" -eq 0 ] || { web_problems a | head -5; status=1; }
if [ "$status" -eq 0 ]; then
    echo "PASS redis-monitor $line"
else
    echo "FAIL redis-monitor $line, php warnings $problems"
fi
exit "$status"
