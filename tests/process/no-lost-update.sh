#!/usr/bin/env bash
# No lost update, through nginx -> php-fpm (4 workers, clear_env = yes) ->
# rustenc, and the same against PHP's `files` handler:
#   1. one session, 1000 requests (16 in flight), each `count?append=i`:
#      the counter ends at exactly 1000, every response saw a distinct count,
#      and the appended list is exactly 1..1000;
#   2. 50 sessions at once, session k gets 10 + (k mod 21) requests, all
#      shuffled together (16 in flight): each ends at exactly its count.
# Any non-200 response, or a PHP warning in the pool's log, fails the test.
# Env: RUSTENC_EXT, LOST_UPDATE_REQUESTS (1000), LOST_UPDATE_SESSIONS (50),
#      LOST_UPDATE_PARALLEL (16), LOST_UPDATE_HANDLERS ("rustenc files").
set -uo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
stack_time_limit 150 "$@"
stack_init no-lost-update

requests=${LOST_UPDATE_REQUESTS:-1000}
sessions=${LOST_UPDATE_SESSIONS:-50}
parallel=${LOST_UPDATE_PARALLEL:-16}
handlers=${LOST_UPDATE_HANDLERS:-rustenc files}
for h in $handlers; do stack_pool "$h" "$h"; done
stack_start

# new_session POOL -> the id of a fresh session (first request = count 1).
new_session() {
    curl -sS --max-time 30 -o /dev/null -c - "$(stack_url "$1" count?append=1)" |
        awk '$6 == "PHPSESSID" { print $7 }'
}

# request POOL SESSION ACTION: one request as a curl config block ("next"
# keeps options such as the header from piling up over the blocks).
request() {
    printf 'next\nurl = "%s"\noutput = "/dev/null"\nheader = "Cookie: PHPSESSID=%s"\n' \
        "$(stack_url "$1" "$3")" "$2"
    printf 'max-time = 60\nconnect-timeout = 10\nsilent\nshow-error\n'
    printf 'write-out = "%%{http_code} %%header{x-count} %%header{x-len}\\n"\n'
}

# blast CONFIG OUT: run every request of a curl config file, $parallel at a
# time, one line "<status> <x-count> <x-len>" per response.
blast() {
    curl -sS --no-progress-meter -Z --parallel-max "$parallel" --config "$1" >"$2" 2>"$2.err"
}

status=0
for pool in $handlers; do
    start=$SECONDS
    # 1. One session.
    sid=$(new_session "$pool")
    [ -n "$sid" ] || { echo "FAIL no-lost-update $pool: no session id"; status=1; continue; }
    cfg=$STACK_DIR/one-$pool.cfg
    for i in $(seq 2 "$requests"); do request "$pool" "$sid" "count?append=$i"; done >"$cfg"
    t0=$(date +%s.%N)
    blast "$cfg" "$STACK_DIR/one-$pool.out"
    t1=$(date +%s.%N)
    peek=$(curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$sid" \
        -w '%{http_code} %header{x-count} %header{x-len} %header{x-list}' "$(stack_url "$pool" peek)")
    read -r pcode pcount plen plist <<<"$peek"
    sent=$((requests - 1))
    got=$(wc -l <"$STACK_DIR/one-$pool.out")
    non200=$(( $(awk '$1 != 200' "$STACK_DIR/one-$pool.out" | wc -l) + sent - got ))
    distinct=$(awk '$1 == 200 { print $2 }' "$STACK_DIR/one-$pool.out" | sort -un | wc -l)
    rate=$(awk -v n="$sent" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
    line="one session: count=$pcount (status $pcode) list=$plen${plist:+ ($plist)} expected=$requests non-200=$non200 distinct=$distinct/$sent ${rate} req/s"
    ok1=1
    [ "$pcode" = 200 ] && [ "$pcount" = "$requests" ] && [ "$plen" = "$requests" ] && [ -z "$plist" ] &&
        [ "$non200" -eq 0 ] && [ "$distinct" -eq "$sent" ] || ok1=0

    # 2. Many sessions at once.
    declare -A want=()
    : >"$STACK_DIR/many-$pool.list"
    total=0
    for k in $(seq "$sessions"); do
        s=$(new_session "$pool")
        [ -n "$s" ] || { echo "FAIL no-lost-update $pool: no session id for session $k"; status=1; continue 2; }
        want[$s]=$((10 + k % 21))
        total=$((total + want[$s]))
        for _ in $(seq 2 "${want[$s]}"); do echo "$s"; done >>"$STACK_DIR/many-$pool.list"
    done
    shuf "$STACK_DIR/many-$pool.list" | while read -r s; do request "$pool" "$s" count; done \
        >"$STACK_DIR/many-$pool.cfg"
    t0=$(date +%s.%N)
    blast "$STACK_DIR/many-$pool.cfg" "$STACK_DIR/many-$pool.out"
    t1=$(date +%s.%N)
    sent=$((total - sessions))
    got=$(wc -l <"$STACK_DIR/many-$pool.out")
    non200=$(( $(awk '$1 != 200' "$STACK_DIR/many-$pool.out" | wc -l) + sent - got ))
    wrong=0
    for s in "${!want[@]}"; do
        c=$(curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$s" \
            -w '%{http_code} %header{x-count}' "$(stack_url "$pool" peek)")
        if [ "$c" != "200 ${want[$s]}" ]; then
            wrong=$((wrong + 1))
            [ "$wrong" -le 5 ] && echo "  session ${s:0:6}: got '$c', expected '200 ${want[$s]}'"
        fi
    done
    unset want
    rate=$(awk -v n="$sent" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
    line2="$sessions sessions: $total requests, wrong counts=$wrong non-200=$non200 ${rate} req/s"
    ok2=1
    [ "$wrong" -eq 0 ] && [ "$non200" -eq 0 ] || ok2=0

    problems=$(stack_php_problems "$pool" | wc -l)
    summary="$pool: $line; $line2; php warnings=$problems; $((SECONDS - start)) s"
    if ((ok1 && ok2)) && [ "$problems" -eq 0 ]; then
        echo "PASS no-lost-update $summary"
    else
        echo "--- non-200 responses (first 5):"
        awk '$1 != 200' "$STACK_DIR"/one-"$pool".out "$STACK_DIR"/many-"$pool".out | head -5
        head -5 "$STACK_DIR"/one-"$pool".out.err
        echo "--- PHP log (first 5 problems):"
        stack_php_problems "$pool" | head -5
        echo "FAIL no-lost-update $summary"
        status=1
    fi
done
exit "$status"
