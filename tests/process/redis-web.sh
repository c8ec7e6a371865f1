#!/usr/bin/env bash
# Two web servers sharing one Redis/Valkey: `php -S` A and B (8 workers each,
# separate processes, strict mode on), both with session.save_handler =
# rustenc, A reaching the server over tcp://, B over its unix:// socket, as
# two machines behind a load balancer would share one session store:
#   1. one session, 1000 increments, 16 in flight, alternating A and B: the
#      counter ends at exactly 1000 and every response saw a distinct count;
#   2. 50 sessions at once (session k gets 10 + k mod 21 increments, shuffled,
#      each request to A or B at random): each ends at exactly its count;
#   3. 50 login flows (8 clients) that hop servers at every step: count on A,
#      POST login on B (302, new id), dashboard on A (logged in), the old id
#      on B (anonymous), logout on A, dashboard on B (anonymous).
# Any non-200 response where 200 is expected, or any PHP warning in either
# server's log, fails the test. The PASS line names the server (redis or
# valkey) and its version.
# Env: RUSTENC_EXT, REDIS_WEB_REQUESTS (1000), REDIS_WEB_SESSIONS (50),
#      REDIS_WEB_FLOWS (50), RUSTENC_REDIS_SERVER (valkey-server/redis-server).
set -uo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
# shellcheck source=tests/stack/redis.sh
source "$(dirname "$0")/../stack/redis.sh"
stack_time_limit 150 "$@"
stack_init redis-web
redis_init
requests=${REDIS_WEB_REQUESTS:-1000}
sessions=${REDIS_WEB_SESSIONS:-50}
flows=${REDIS_WEB_FLOWS:-50}
clients=8

redis_start main
web_start a "tcp://127.0.0.1:${REDIS_PORT[main]}?prefix=web:&timeout=2&read_timeout=2"
web_start b "unix://${REDIS_DIR[main]}/redis.sock?prefix=web:&timeout=2&read_timeout=2"
stack_log "A: php -S :${WEB_PORT[a]} (tcp), B: php -S :${WEB_PORT[b]} (unix socket), $REDIS_FLAVOUR :${REDIS_PORT[main]}"
status=0
other() { [ "$1" = a ] && echo b || echo a; }

# 1. One session, alternating servers.
t0=$(date +%s.%N)
sid=$(web_new_session a)
[ -n "$sid" ] || { tail -5 "${WEB_LOG[a]}"; stack_fail "no session id from A"; }
for i in $(seq 2 "$requests"); do
    web_request "$(web_url "$([ $((i % 2)) -eq 0 ] && echo b || echo a)" 'count?hold=1')" "$sid"
done >"$STACK_DIR/one.cfg"
web_blast "$STACK_DIR/one.cfg" "$STACK_DIR/one.out" 16
t1=$(date +%s.%N)
read -r pcode pcount <<<"$(web_peek b "$sid")"
sent=$((requests - 1))
got=$(wc -l <"$STACK_DIR/one.out")
non200=$(($(awk '$1 != 200' "$STACK_DIR/one.out" | wc -l) + sent - got))
distinct=$(awk '$1 == 200 { print $2 }' "$STACK_DIR/one.out" | sort -un | wc -l)
rate=$(awk -v n="$requests" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
line1="one session: count=$pcount (status $pcode) expected=$requests non-200=$non200 distinct=$distinct/$sent $rate req/s"
if [ "$pcode" != 200 ] || [ "$pcount" != "$requests" ] || [ "$non200" -ne 0 ] || [ "$distinct" -ne "$sent" ]; then
    awk '$1 != 200' "$STACK_DIR/one.out" | head -5
    head -3 "$STACK_DIR/one.out.err"
    status=1
fi

# 2. Many sessions at once, each request to A or B at random.
declare -A want=()
: >"$STACK_DIR/many.list"
total=0
t0=$(date +%s.%N)
for k in $(seq "$sessions"); do
    s=$(web_new_session "$([ $((k % 2)) -eq 0 ] && echo a || echo b)")
    [ -n "$s" ] || stack_fail "no session id for session $k"
    want[$s]=$((10 + k % 21))
    total=$((total + want[$s]))
    for _ in $(seq 2 "${want[$s]}"); do echo "$s"; done >>"$STACK_DIR/many.list"
done
shuf "$STACK_DIR/many.list" | while read -r s; do
    web_request "$(web_url "$([ $((RANDOM % 2)) -eq 0 ] && echo a || echo b)" count)" "$s"
done >"$STACK_DIR/many.cfg"
web_blast "$STACK_DIR/many.cfg" "$STACK_DIR/many.out" 16
t1=$(date +%s.%N)
sent=$((total - sessions))
got=$(wc -l <"$STACK_DIR/many.out")
non200=$(($(awk '$1 != 200' "$STACK_DIR/many.out" | wc -l) + sent - got))
wrong=0
for s in "${!want[@]}"; do
    c=$(web_peek a "$s")
    if [ "$c" != "200 ${want[$s]}" ]; then
        wrong=$((wrong + 1))
        [ "$wrong" -le 5 ] && echo "  session ${s:0:6}: got '$c', expected '200 ${want[$s]}'"
    fi
done
rate=$(awk -v n="$total" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
line2="$sessions sessions: $total requests, wrong counts=$wrong non-200=$non200 $rate req/s"
if [ "$wrong" -ne 0 ] || [ "$non200" -ne 0 ]; then
    awk '$1 != 200' "$STACK_DIR/many.out" | head -5
    status=1
fi

# 3. Login flows hopping between the servers.
c() { curl -sS --max-time 30 --connect-timeout 10 "$@" 2>&1; }
jar_sid() { awk '$6 == "PHPSESSID" { print $7 }' "$1"; }
# flow I JAR FIRST: prints "ok I" or "fail I <step> <what>".
flow() {
    local i=$1 jar=$2 x=$3 y out sid_a sid_b
    y=$(other "$x")
    rm -f "$jar"
    out=$(c -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' "$(web_url "$x" count)")
    sid_a=$(jar_sid "$jar")
    [ "$out" = 200 ] && [ -n "$sid_a" ] || { echo "fail $i 1-count($x) status=$out"; return; }
    out=$(c -c "$jar" -b "$jar" -d "user=u$i" -o /dev/null -w '%{http_code} %{redirect_url} %header{x-error}' \
        "$(web_url "$y" login)")
    sid_b=$(jar_sid "$jar")
    [ "$out" = "302 $(web_url "$y" dashboard) " ] || { echo "fail $i 2-login($y) '$out'"; return; }
    [ -n "$sid_b" ] && [ "$sid_b" != "$sid_a" ] || { echo "fail $i 2-login($y) id not regenerated"; return; }
    out=$(c -b "$jar" -w ' %{http_code}' "$(web_url "$x" dashboard)")
    [ "$out" = "user=u$i n=1
 200" ] || { echo "fail $i 3-dashboard($x) '${out//$'\n'/ }' (login lost)"; return; }
    out=$(c -H "Cookie: PHPSESSID=$sid_a" -w ' %{http_code}' "$(web_url "$y" dashboard)")
    [ "$out" = "anonymous
 401" ] || { echo "fail $i 4-old-id($y) '${out//$'\n'/ }'"; return; }
    out=$(c -c "$jar" -b "$jar" -w ' %{http_code}' "$(web_url "$x" logout)")
    [ "$out" = "bye
 200" ] || { echo "fail $i 5-logout($x) '${out//$'\n'/ }'"; return; }
    out=$(c -H "Cookie: PHPSESSID=$sid_b" -w ' %{http_code}' "$(web_url "$y" dashboard)")
    [ "$out" = "anonymous
 401" ] || { echo "fail $i 6-after-logout($y) '${out//$'\n'/ }'"; return; }
    echo "ok $i"
}
client() {
    local i
    for ((i = $1; i <= flows; i += clients)); do
        flow "$i" "$STACK_DIR/jar.$1" "$([ $((i % 2)) -eq 0 ] && echo a || echo b)"
    done
}
t0=$SECONDS
pids=()
for k in $(seq "$clients"); do
    client "$k" >"$STACK_DIR/flows.$k" &
    pids+=($!)
done
wait "${pids[@]}"
cat "$STACK_DIR"/flows.* >"$STACK_DIR/flows"
ok=$(grep -c '^ok ' "$STACK_DIR/flows")
line3="$flows login flows hopping A/B: ok=$ok failed=$((flows - ok)) ($((SECONDS - t0)) s)"
if [ "$ok" -ne "$flows" ]; then
    grep -v '^ok ' "$STACK_DIR/flows" | head -5
    status=1
fi

problems=$(cat <(web_problems a) <(web_problems b) | wc -l)
[ "$problems" -eq 0 ] || { cat <(web_problems a) <(web_problems b) | head -5; status=1; }
summary="$REDIS_FLAVOUR: $line1; $line2; $line3; php warnings=$problems"
if [ "$status" -eq 0 ]; then
    echo "PASS redis-web $summary"
else
    echo "FAIL redis-web $summary"
fi
exit "$status"
