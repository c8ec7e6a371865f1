#!/usr/bin/env bash
# rustenc on a Redis/Valkey Cluster: three primaries on loopback ports
# (cluster-enabled, joined with `redis-cli --cluster create`, appendonly with
# appendfsync always), save_path "seed[]=H:P1&seed[]=H:P2&seed[]=H:P3". Two
# `php -S` servers (8 workers each):
#   1. one session, 500 increments, 16 in flight, alternating A and B: exactly
#      500, every response a distinct count;
#   2. 30 sessions, 10 increments each, shuffled over A and B: each exactly 10,
#      and their keys spread over at least two of the three primaries (the
#      hash slots are used, not one node);
#   3. the primary holding session 1 killed (kill -9) mid-traffic and
#      restarted 2 s later (it rejoins from its nodes.conf): outage_check
#      (tests/stack/redis.sh) as for a single server: failures only while the
#      cluster missed it, each with a warning naming a server and the cause,
#      all requests succeed from lease + 1.5 s after the cluster is whole again, no
#      update lost while reported as a success.
# Env: RUSTENC_EXT, RUSTENC_REDIS_SERVER.
set -uo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
# shellcheck source=tests/stack/redis.sh
source "$(dirname "$0")/../stack/redis.sh"
stack_time_limit 120 "$@"
stack_init redis-cluster
redis_init
redis_cluster c 3 "appendonly yes" "appendfsync always"
seeds="seed[]=127.0.0.1:${REDIS_PORT[c1]}&seed[]=127.0.0.1:${REDIS_PORT[c2]}&seed[]=127.0.0.1:${REDIS_PORT[c3]}"
save_path="$seeds&prefix=cluster:&timeout=1&read_timeout=1"
# A lock taken just before the kill may live on (replicated, or in the
# append-only file) until its lease ends: a short lease, and "work again" is
# judged from lease + 1.5 s on (see redis-restart.sh).
lease=3000
outage_web_start "$save_path" $lease
status=0

# 1. One session.
sid=$(web_new_session a)
[ -n "$sid" ] || { tail -5 "${WEB_LOG[a]}"; stack_fail "no session id"; }
# Which primary holds it: the only one with keys so far.
home=
for i in 1 2 3; do [ "$(redis_cli "c$i" DBSIZE)" -gt 0 ] && home=c$i; done
for i in $(seq 2 500); do
    web_request "$(web_url "$([ $((i % 2)) -eq 0 ] && echo b || echo a)" count)" "$sid"
done >"$STACK_DIR/one.cfg"
web_blast "$STACK_DIR/one.cfg" "$STACK_DIR/one.out" 16
read -r pcode pcount <<<"$(web_peek b "$sid")"
non200=$(($(awk '$1 != 200' "$STACK_DIR/one.out" | wc -l) + 499 - $(wc -l <"$STACK_DIR/one.out")))
distinct=$(awk '$1 == 200 { print $2 }' "$STACK_DIR/one.out" | sort -un | wc -l)
line1="one session (on $home): count=$pcount (status $pcode) expected=500 non-200=$non200 distinct=$distinct/499"
[ "$pcount" = 500 ] && [ "$non200" -eq 0 ] && [ "$distinct" -eq 499 ] && [ -n "$home" ] ||
    { awk '$1 != 200' "$STACK_DIR/one.out" | head -3; status=1; }

# 2. 30 sessions.
ids=()
for k in $(seq 30); do ids+=("$(web_new_session a)"); done
for s in "${ids[@]}"; do for _ in $(seq 9); do echo "$s"; done; done | shuf | while read -r s; do
    web_request "$(web_url "$([ $((RANDOM % 2)) -eq 0 ] && echo a || echo b)" count)" "$s"
done >"$STACK_DIR/many.cfg"
web_blast "$STACK_DIR/many.cfg" "$STACK_DIR/many.out" 16
wrong=0
for s in "${ids[@]}"; do [ "$(web_peek a "$s")" = "200 10" ] || wrong=$((wrong + 1)); done
spread=$(for i in 1 2 3; do redis_cli "c$i" DBSIZE; done | paste -sd/)
used=$(tr / '\n' <<<"$spread" | awk '$1 > 0' | wc -l)
line2="30 sessions x 10: wrong counts=$wrong, keys per primary $spread"
[ "$wrong" -eq 0 ] && [ "$used" -ge 2 ] || status=1

# 3. The primary holding session 1 killed and restarted.
if [ -n "$home" ]; then
    outage_traffic "$sid"
    down=$(now_ms)
    redis_kill "$home"
    sleep 2
    redis_restart "$home"
    back=
    for _ in $(seq 150); do
        ok=1
        for i in 1 2 3; do redis_cli "c$i" CLUSTER INFO | grep -q '^cluster_state:ok' || ok=0; done
        ((ok)) && { back=$(now_ms); break; }
        sleep 0.1
    done
    [ -n "$back" ] || { web_clients_stop; stack_fail "the cluster is not whole 15 s after the restart"; }
    sleep 6
    web_clients_stop
    read -r pcode final <<<"$(web_peek b "$sid")"
    final=$((final - 500))
    outage_check "$sid" "$down" "$back" \
        "127\.0\.0\.1:[0-9]+.*(refused|reset|closed|timed out|broken pipe|end of file|EOF|loading|connect|CLUSTERDOWN|cluster|slot)" \
        "$final" $((lease + 1500)) || status=1
    line3="$home killed, back after $((back - down)) ms: $OUTAGE_LINE"
fi

summary="$REDIS_FLAVOUR, 3-primary cluster: $line1; $line2; ${line3:-}"
if [ "$status" -eq 0 ]; then
    echo "PASS redis-cluster $summary"
else
    echo "FAIL redis-cluster $summary"
fi
exit "$status"
