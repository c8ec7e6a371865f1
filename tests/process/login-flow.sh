#!/usr/bin/env bash
# Login flow through nginx -> php-fpm (4 workers) -> rustenc, as a browser
# does it, 500 times with 8 clients in parallel (curl, one cookie jar each):
#   1. GET  count                     -> 200, a session (id A) with n=1
#   2. POST login user=u<i>, curl -L  -> 302 (session_regenerate_id(true):
#      new id B) -> GET dashboard with B -> 200 "user=u<i> n=1"
#   3. GET  dashboard with the old id A -> 401 (the old session is gone)
#   4. GET  logout (session_destroy)  -> 200; GET dashboard with B -> 401
# Zero failures allowed (any step, any status, any PHP warning). Also checks
# that the workers (clear_env = yes) do not see RUSTENC_KEY.
# Env: RUSTENC_EXT, LOGIN_FLOWS (500), LOGIN_CLIENTS (8).
set -uo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
stack_time_limit 150 "$@"
stack_init login-flow
flows=${LOGIN_FLOWS:-500}
clients=${LOGIN_CLIENTS:-8}
stack_pool rustenc rustenc
stack_start
base=$(stack_url rustenc "")

c() { curl -sS --max-time 30 --connect-timeout 10 "$@" 2>&1; }
# sid JAR: the PHPSESSID in a curl cookie jar.
sid() {
    local line
    while read -r -a line; do
        [ "${line[5]:-}" = PHPSESSID ] && echo "${line[6]}"
    done <"$1"
}

# flow I JAR: prints "ok I" or "fail I <step> <what>"; never exits non-zero.
flow() {
    local i=$1 jar=$2 out sid_a sid_b
    rm -f "$jar"
    out=$(c -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' "${base}count")
    sid_a=$(sid "$jar")
    [ "$out" = 200 ] && [ -n "$sid_a" ] || { echo "fail $i 1-count status=$out id=${sid_a:0:6}"; return; }
    out=$(c -L -c "$jar" -b "$jar" -d "user=u$i" -w ' %{http_code} %{num_redirects} %{url_effective}' "${base}login")
    sid_b=$(sid "$jar")
    [ "$out" = "user=u$i n=1
 200 1 ${base}dashboard" ] || { echo "fail $i 2-login '${out//$'\n'/ }'"; return; }
    [ -n "$sid_b" ] && [ "$sid_b" != "$sid_a" ] || { echo "fail $i 2-login id not regenerated"; return; }
    out=$(c -H "Cookie: PHPSESSID=$sid_a" -w ' %{http_code}' "${base}dashboard")
    [ "$out" = "anonymous
 401" ] || { echo "fail $i 3-old-id '${out//$'\n'/ }'"; return; }
    out=$(c -c "$jar" -b "$jar" -w ' %{http_code}' "${base}logout")
    [ "$out" = "bye
 200" ] || { echo "fail $i 4-logout '${out//$'\n'/ }'"; return; }
    out=$(c -H "Cookie: PHPSESSID=$sid_b" -w ' %{http_code}' "${base}dashboard")
    [ "$out" = "anonymous
 401" ] || { echo "fail $i 4-after-logout '${out//$'\n'/ }'"; return; }
    echo "ok $i"
}

# client K: flows K, K + clients, K + 2 clients, ... one after the other.
client() {
    local i
    for ((i = $1; i <= flows; i += clients)); do
        flow "$i" "$STACK_DIR/jar.$1"
    done
}

t0=$(date +%s.%N)
pids=()
for k in $(seq "$clients"); do
    client "$k" >"$STACK_DIR/results.$k" &
    pids+=($!)
done
wait "${pids[@]}"
t1=$(date +%s.%N)
cat "$STACK_DIR"/results.* >"$STACK_DIR/results"
ok=$(grep -c '^ok ' "$STACK_DIR/results")
failed=$((flows - ok))
problems=$(stack_php_problems rustenc | wc -l)
left=$(find "${STACK_POOL_DIR[rustenc]}" -name 'rustenc_*' | wc -l)
rate=$(awk -v n="$flows" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }')
result="$flows flows x 6 requests, $clients clients: ok=$ok failed=$failed php warnings=$problems"
result+=" ($rate flows/s; sessions on disk: $left, 2 per flow from the anonymous probes)"
if [ "$failed" -eq 0 ] && [ "$problems" -eq 0 ]; then
    echo "PASS login-flow: $result"
    exit 0
fi
grep -v '^ok ' "$STACK_DIR/results" | head -10
stack_php_problems rustenc | head -5
echo "FAIL login-flow: $result"
exit 1
