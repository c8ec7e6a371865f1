#!/usr/bin/env bash
# A Sentinel failover in the middle of traffic: one primary, one replica,
# three Sentinels (quorum 2, down after 1 s) on loopback ports; rustenc finds
# the primary through the Sentinels (save_path sentinel://S1,S2,S3
# ?service=mymaster). Two `php -S` servers (8 workers each), 4 clients
# incrementing one session in turn on A and B: ~1.5 s of traffic, the primary
# killed (kill -9), traffic on until the Sentinels have promoted the replica,
# then ~6 s more. outage_check (tests/stack/redis.sh) asserts as for a
# restart: no update lost while reported as a success (distinct counts, the
# final count equals the successes, at most the requests in flight at the
# kill more), failures only while there was no primary, each with a warning
# naming the server and the cause (never the session id), and every request
# from lease + 1.5 s after the promotion on succeeds, against the new primary.
# Env: RUSTENC_EXT, RUSTENC_REDIS_SERVER.
set -uo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
# shellcheck source=tests/stack/redis.sh
source "$(dirname "$0")/../stack/redis.sh"
stack_time_limit 120 "$@"
stack_init redis-sentinel
redis_init
redis_start primary
redis_start replica "replicaof 127.0.0.1 ${REDIS_PORT[primary]}"
for s in s1 s2 s3; do redis_sentinel "$s" primary; done
for _ in $(seq 100); do
    redis_cli replica INFO replication | grep -q '^master_link_status:up' && break
    sleep 0.1
done
sentinels="127.0.0.1:${REDIS_PORT[s1]},127.0.0.1:${REDIS_PORT[s2]},127.0.0.1:${REDIS_PORT[s3]}"
save_path="sentinel://$sentinels?service=mymaster&prefix=sentinel:&timeout=1&read_timeout=1"
# A lock taken just before the kill may live on (replicated, or in the
# append-only file) until its lease ends: a short lease, and "work again" is
# judged from lease + 1.5 s on (see redis-restart.sh).
lease=3000
web_start a "$save_path" -d rustenc.lock_lease_ms=$lease
web_start b "$save_path" -d rustenc.lock_lease_ms=$lease

sid=$(web_new_session a)
[ -n "$sid" ] || { tail -5 "${WEB_LOG[a]}"; stack_fail "no session id"; }
web_clients 4 "$sid" "$(web_url a 'count?hold=2')" "$(web_url b 'count?hold=2')"
sleep 1.5
down=$(now_ms)
redis_kill primary
back=
for _ in $(seq 150); do
    if [ "$(redis_sentinel_primary s1)" = "127.0.0.1 ${REDIS_PORT[replica]}" ] &&
        redis_cli replica ROLE | head -1 | grep -q master; then
        back=$(now_ms)
        break
    fi
    sleep 0.1
done
[ -n "$back" ] || { web_clients_stop; stack_fail "the Sentinels did not promote the replica within 15 s"; }
sleep 6
web_clients_stop
read -r pcode final <<<"$(web_peek b "$sid")"
final=$((final - 1))
status=0
outage_check "$sid" "$down" "$back" \
    "127\.0\.0\.1:[0-9]+.*(refused|reset|closed|timed out|broken pipe|end of file|EOF|loading|connect|READONLY|read only|master|primary)" \
    "$final" $((lease + 1500)) || status=1
[ "$pcode" = 200 ] || { echo "  reading the session afterwards: status $pcode"; status=1; }
summary="$REDIS_FLAVOUR, 3 Sentinels, primary killed, replica promoted after $((back - down)) ms: $OUTAGE_LINE"
if [ "$status" -eq 0 ]; then
    echo "PASS redis-sentinel $summary"
else
    echo "FAIL redis-sentinel $summary"
fi
exit "$status"
