#!/usr/bin/env bash
# Redis/Valkey killed (kill -9) in the middle of traffic and started again:
# requests fail closed while it is away and work again afterwards, and no
# update is lost while reported as a success. The server keeps an
# append-only file fsynced on every write (appendfsync always), so what it
# acknowledged survives the kill, as an operator who cares would run it.
# Two `php -S` servers (8 workers each; timeout=1&read_timeout=1), 4 clients
# incrementing one session in turn on A and B:
#   ~1.5 s of traffic, kill -9, 2 s away, restart on the same port, ~6 s more.
# The lock of a request cut off by the kill is in the append-only file too:
# it survives the restart until its lease ends, and requests wait for it as
# for any lock. So the lease is short here (rustenc.lock_lease_ms=3000; the
# default is 30 s), and "work again" is judged from lease + 1.5 s after the
# restart on.
# outage_check (tests/stack/redis.sh) then asserts: every success saw a
# distinct count and the final count equals the successes (at most the
# requests in flight at the kill more: written, then cut off); requests
# failed only while the server was away or loading its data (500, the
# warning naming the server 127.0.0.1:PORT and the cause, never the session
# id), and all succeeded
# from 4.5 s after the restart on.
# Env: RUSTENC_EXT, RUSTENC_REDIS_SERVER.
set -uo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
# shellcheck source=tests/stack/redis.sh
source "$(dirname "$0")/../stack/redis.sh"
stack_time_limit 90 "$@"
stack_init redis-restart
redis_init
redis_start main "appendonly yes" "appendfsync always"
port=${REDIS_PORT[main]}
save_path="tcp://127.0.0.1:$port?prefix=restart:&timeout=1&read_timeout=1"
lease=3000
outage_web_start "$save_path" $lease

sid=$(web_new_session a)
[ -n "$sid" ] || { tail -5 "${WEB_LOG[a]}"; stack_fail "no session id"; }
outage_traffic "$sid"
down=$(now_ms)
redis_kill main
sleep 2
back=$(now_ms)
redis_restart main
sleep 6
web_clients_stop
read -r pcode final <<<"$(web_peek b "$sid")"
# The new session's first increment (count 1) was not made by the clients.
final=$((final - 1))
status=0
outage_check "$sid" "$down" "$back" \
    "127\.0\.0\.1:$port.*(refused|reset|closed|timed out|broken pipe|end of file|EOF|loading)" \
    "$final" $((lease + 1500)) || status=1
[ "$pcode" = 200 ] || { echo "  reading the session afterwards: status $pcode"; status=1; }
summary="$REDIS_FLAVOUR killed and restarted: $OUTAGE_LINE"
if [ "$status" -eq 0 ]; then
    echo "PASS redis-restart $summary"
else
    echo "FAIL redis-restart $summary"
fi
exit "$status"
