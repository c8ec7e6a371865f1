#!/usr/bin/env bash
# A Sentinel failover in the middle of traffic: one primary, one replica,
# three Sentinels (quorum 2, down after 1 s) on loopback ports; rustenc finds
# the primary through the Sentinels (save_path sentinel://S1,S2,S3
# ?service=mymaster, rustenc's default wait_replicas=1 there: a write no
# replica confirmed is refused rather than reported done). Two `php -S`
# servers (8 workers each), 4 clients incrementing one session in turn on A
# and B: ~1.5 s of traffic, the primary killed (kill -9), traffic on while
# the Sentinels promote the replica; the promoted primary has no replica
# left, so writes are refused until the old primary is started again as its
# replica (as an operator brings a failed node back); then ~6 s more. outage_check (tests/stack/redis.sh) asserts as for a
# restart: no update lost while reported as a success (distinct counts, the
# final count not below the successes, and above them by at most the
# requests in flight at the kill and the writes refused as unconfirmed),
# failures only between the kill and the replica's return, each with a
# warning naming the server and the cause (never the session id), and every
# request from lease + 1.5 s after that on succeeds, on the new primary.
# Env: RUSTENC_EXT, RUSTENC_REDIS_SERVER.
set -uo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
# shellcheck source=tests/stack/redis.sh
source "$(dirname "$0")/../stack/redis.sh"
stack_time_limit 120 "$@"
stack_init redis-sentinel
redis_init
# No 5 s wait before a full sync (repl-diskless-sync-delay's default).
redis_start primary "repl-diskless-sync-delay 0"
redis_start replica "replicaof 127.0.0.1 ${REDIS_PORT[primary]}" "repl-diskless-sync-delay 0"
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
outage_web_start "$save_path" $lease

sid=$(web_new_session a)
[ -n "$sid" ] || { tail -5 "${WEB_LOG[a]}"; stack_fail "no session id"; }
outage_traffic "$sid"
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
promoted=$back
# The old primary back on its port as a replica of the new one (as an
# operator brings a failed node back; the Sentinels would convert it too, but
# take 10 s or more to notice); writes are confirmed again once it follows.
echo "replicaof 127.0.0.1 ${REDIS_PORT[replica]}" >>"${REDIS_DIR[primary]}/redis.conf"
redis_restart primary
back=
for _ in $(seq 150); do
    if redis_cli primary INFO replication | grep -q '^master_link_status:up'; then
        back=$(now_ms)
        break
    fi
    sleep 0.1
done
[ -n "$back" ] || { web_clients_stop; stack_fail "the old primary did not become a replica within 15 s"; }
sleep 6
web_clients_stop
read -r pcode final <<<"$(web_peek b "$sid")"
final=$((final - 1))
status=0
outage_check "$sid" "$down" "$back" \
    "127\.0\.0\.1:[0-9]+.*(refused|reset|closed|timed out|broken pipe|end of file|EOF|loading|connect|READONLY|read only|replicas confirmed)" \
    "$final" $((lease + 1500)) "replicas confirmed the write" || status=1
[ "$pcode" = 200 ] || { echo "  reading the session afterwards: status $pcode"; status=1; }
summary="$REDIS_FLAVOUR, 3 Sentinels, primary killed, replica promoted after $((promoted - down)) ms,"
summary+=" old primary its replica after $((back - down)) ms: $OUTAGE_LINE"
if [ "$status" -eq 0 ]; then
    echo "PASS redis-sentinel $summary"
else
    echo "FAIL redis-sentinel $summary"
fi
exit "$status"
