# shellcheck shell=bash
# Redis-compatible servers for the tests/process/redis-*.sh tests: standalone
# servers, a primary with a replica watched by Sentinels, a 3-primary Cluster,
# each on free loopback ports in a directory of its own under $STACK_DIR, and
# `php -S` web servers (several workers each) serving tests/stack/redis-app.php
# with rustenc on such a server. Everything started here is stopped by pid
# (and process group) in stack_cleanup, also when a test fails or times out.
#
#   source tests/stack/lib.sh
#   source tests/stack/redis.sh
#   stack_time_limit 120 "$@"
#   stack_init redis-x                   # temp dir, traps, RUSTENC_KEY
#   redis_init                           # picks the server, logs which one
#   redis_start main [CONFIG-LINE...]    # REDIS_PORT[main], REDIS_DIR[main]
#   redis_cli main GET k                 # valkey-cli / redis-cli -p PORT
#   redis_kill main; redis_restart main  # kill -9; again on the same port
#   web_start a "tcp://127.0.0.1:${REDIS_PORT[main]}" [-d INI=VALUE...]
#   curl "$(web_url a count)"
#
# The server binary is RUSTENC_REDIS_SERVER if set, else valkey-server or
# redis-server, whichever is installed (scripts/setup installs redis-server on
# Debian 12 and valkey-server on Debian 13); the matching CLI is used.
# REDIS_FLAVOUR says which ran ("redis 7.0.15", "valkey 8.1.1"): tests put it
# in their PASS/FAIL line.
# REDIS_WEB_HANDLER=phpredis serves the same app with phpredis's `redis`
# handler (locking on) instead of rustenc, to show what a test catches (a
# demonstration, not part of the test command; needs php-redis).

REDIS_SERVER=
REDIS_CLI=
REDIS_FLAVOUR=
REDIS_NAMES=()
WEB_NAMES=()
declare -A REDIS_PORT=() REDIS_DIR=() REDIS_PID=() WEB_PORT=() WEB_PID=() WEB_LOG=() WEB_ARGS=()

redis_init() {
    local bin
    if [ -n "${RUSTENC_REDIS_SERVER:-}" ]; then
        REDIS_SERVER=$RUSTENC_REDIS_SERVER
    else
        for bin in valkey-server redis-server; do
            command -v "$bin" >/dev/null && { REDIS_SERVER=$bin; break; }
        done
    fi
    [ -n "$REDIS_SERVER" ] ||
        stack_fail "no valkey-server or redis-server: run scripts/setup (it installs the one Debian ships)"
    REDIS_CLI=${REDIS_SERVER/%-server/-cli}
    command -v "$REDIS_CLI" >/dev/null || stack_fail "$REDIS_SERVER found, but not $REDIS_CLI"
    # "Redis server v=7.0.15 sha=..." / "Valkey server v=8.1.1 sha=..."
    REDIS_FLAVOUR=$("$REDIS_SERVER" --version | awk '{ v = $3; sub(/^v=/, "", v); print tolower($1), v }')
    stack_log "server: $REDIS_FLAVOUR ($(command -v "$REDIS_SERVER"))"
    stack_on_cleanup redis_stop_all
}

# redis_free_port [BUS]: a free loopback port; with BUS, one whose cluster bus
# port (port + 10000) is free too.
redis_free_port() {
    local p
    for _ in $(seq 50); do
        p=$(stack_free_port) || return 1
        [ -z "${1:-}" ] && { echo "$p"; return 0; }
        ((p + 10000 <= 65535)) || continue
        php -n -r 'exit(@stream_socket_server("tcp://127.0.0.1:" . $argv[1]) ? 0 : 1);' $((p + 10000)) &&
            { echo "$p"; return 0; }
    done
    return 1
}

# redis_cli NAME ARG...: the CLI against server NAME (raw output).
redis_cli() {
    local name=$1
    shift
    timeout 10 "$REDIS_CLI" -h 127.0.0.1 -p "${REDIS_PORT[$name]}" ${REDIS_AUTH:+--no-auth-warning -a "$REDIS_AUTH"} "$@"
}

# redis_start NAME [CONFIG-LINE...]: a server on a free port with a config of
# its own (no persistence unless a line asks for it, a unix socket in its
# directory). Config lines are passed as words, e.g. "appendonly yes". A
# "cluster-enabled yes" line makes it pick a port whose bus port is free.
redis_start() {
    local name=$1 line bus=
    shift
    local dir=$STACK_DIR/redis-$name
    mkdir -p "$dir"
    for line in "$@"; do [ "$line" = "cluster-enabled yes" ] && bus=1; done
    REDIS_NAMES+=("$name")
    REDIS_DIR[$name]=$dir
    for attempt in 1 2 3; do
        REDIS_PORT[$name]=$(redis_free_port "$bus") || stack_fail "no free port"
        {
            echo "port ${REDIS_PORT[$name]}"
            echo "bind 127.0.0.1"
            echo "daemonize no"
            echo "dir $dir"
            echo "logfile $dir/server.log"
            echo "unixsocket $dir/redis.sock"
            echo "unixsocketperm 700"
            echo 'save ""'
            for line in "$@"; do echo "$line"; done
        } >"$dir/redis.conf"
        redis_launch "$name" && return 0
        stack_log "redis $name: start attempt $attempt failed:"
        tail -5 "$dir/server.log" >&2
    done
    stack_fail "redis server $name did not start"
}

# redis_launch NAME [--sentinel]: start NAME from its config, in its own
# process group, and wait until it answers PING (10 s; a server with
# requirepass answers NOAUTH, which will do).
redis_launch() {
    local name=$1
    set -m
    "$REDIS_SERVER" "${REDIS_DIR[$name]}/redis.conf" "${@:2}" >>"${REDIS_DIR[$name]}/out" 2>&1 </dev/null &
    REDIS_PID[$name]=$!
    set +m
    for _ in $(seq 100); do
        kill -0 "${REDIS_PID[$name]}" 2>/dev/null || break
        [[ "$(redis_cli "$name" PING 2>/dev/null)" =~ ^(PONG|NOAUTH) ]] && return 0
        sleep 0.1
    done
    redis_stop "$name"
    return 1
}

# redis_kill NAME: kill -9, as a crash or an OOM kill would.
redis_kill() {
    kill -KILL "${REDIS_PID[$1]}" 2>/dev/null
    wait "${REDIS_PID[$1]}" 2>/dev/null
    REDIS_PID[$1]=
}

# redis_restart NAME: start NAME again on its port, with its config.
redis_restart() {
    redis_launch "$1" || { tail -5 "${REDIS_DIR[$1]}/server.log" >&2; stack_fail "redis server $1 did not restart"; }
}

redis_stop() {
    [ -n "${REDIS_PID[$1]:-}" ] && stack_stop_pid "${REDIS_PID[$1]}"
    REDIS_PID[$1]=
}

redis_stop_all() {
    local name
    for name in "${WEB_NAMES[@]}"; do web_stop "$name"; done
    for name in "${REDIS_NAMES[@]}"; do redis_stop "$name"; done
}

# redis_sentinel NAME PRIMARY [QUORUM]: a Sentinel watching server PRIMARY as
# service "mymaster" (down after 1 s, failover within 5 s).
redis_sentinel() {
    local name=$1 primary=$2 quorum=${3:-2}
    local dir=$STACK_DIR/redis-$name
    mkdir -p "$dir"
    REDIS_NAMES+=("$name")
    REDIS_DIR[$name]=$dir
    for attempt in 1 2 3; do
        REDIS_PORT[$name]=$(redis_free_port) || stack_fail "no free port"
        {
            echo "port ${REDIS_PORT[$name]}"
            echo "bind 127.0.0.1"
            echo "daemonize no"
            echo "dir $dir"
            echo "logfile $dir/server.log"
            echo "sentinel monitor mymaster 127.0.0.1 ${REDIS_PORT[$primary]} $quorum"
            echo "sentinel down-after-milliseconds mymaster 1000"
            echo "sentinel failover-timeout mymaster 5000"
            echo "sentinel parallel-syncs mymaster 1"
        } >"$dir/redis.conf"
        redis_launch "$name" --sentinel && return 0
        stack_log "sentinel $name: start attempt $attempt failed:"
        tail -5 "$dir/server.log" >&2
    done
    stack_fail "sentinel $name did not start"
}

# redis_sentinel_primary SENTINEL: "host port" of the primary it names now.
redis_sentinel_primary() {
    redis_cli "$1" SENTINEL get-master-addr-by-name mymaster 2>/dev/null | paste -sd' '
}

# redis_cluster NAME N [CONFIG-LINE...]: N primaries NAME1..NAMEN joined into
# one cluster (no replicas); waits until every node reports cluster_state:ok.
redis_cluster() {
    local name=$1 n=$2 i seeds=() ok
    shift 2
    for i in $(seq "$n"); do
        redis_start "$name$i" "cluster-enabled yes" "cluster-config-file nodes.conf" \
            "cluster-node-timeout 2000" "$@"
        seeds+=("127.0.0.1:${REDIS_PORT[$name$i]}")
    done
    timeout 30 "$REDIS_CLI" --cluster create "${seeds[@]}" --cluster-yes >"$STACK_DIR/cluster-create.log" 2>&1 ||
        { tail -20 "$STACK_DIR/cluster-create.log"; stack_fail "redis-cli --cluster create failed"; }
    for _ in $(seq 100); do
        ok=1
        for i in $(seq "$n"); do
            redis_cli "$name$i" CLUSTER INFO 2>/dev/null | grep -q '^cluster_state:ok' || ok=0
        done
        ((ok)) && return 0
        sleep 0.1
    done
    stack_fail "cluster $name: not every node reports cluster_state:ok after 10 s"
}

# web_start NAME SAVE_PATH [PHP-ARG...]: `php -S` with WEB_WORKERS (8) worker
# processes serving tests/stack/redis-app.php, sessions in rustenc on
# SAVE_PATH, the stack's recommended session settings (strict mode on), errors
# logged to WEB_LOG[NAME], RUSTENC_KEY in its environment.
web_start() {
    local name=$1 save_path=$2
    shift 2
    WEB_NAMES+=("$name")
    WEB_LOG[$name]=$STACK_DIR/web-$name.log
    # Quoted: an INI value with '=' or '&' in it (the query string) is cut short otherwise.
    WEB_ARGS[$name]=$(printf '%q ' -d session.save_path="\"$save_path\"" "$@")
    web_launch "$name"
}

web_launch() {
    local name=$1 args handler=(-d extension="$STACK_EXT" -d session.save_handler=rustenc)
    eval "args=(${WEB_ARGS[$name]})"
    [ "${REDIS_WEB_HANDLER:-rustenc}" = phpredis ] &&
        handler=(-d extension=igbinary.so -d extension=redis.so -d session.save_handler=redis
            -d redis.session.locking_enabled=1)
    for attempt in 1 2 3; do
        WEB_PORT[$name]=$(stack_free_port) || stack_fail "no free port"
        set -m
        env RUSTENC_KEY="$RUSTENC_KEY" PHP_CLI_SERVER_WORKERS="${WEB_WORKERS:-8}" \
            ${RUSTENC_REDIS_PASSWORD:+RUSTENC_REDIS_PASSWORD="$RUSTENC_REDIS_PASSWORD"} \
            php -n "${handler[@]}" \
            -d session.use_strict_mode=1 -d session.use_only_cookies=1 -d session.cookie_httponly=1 \
            -d session.gc_probability=0 -d session.gc_maxlifetime=1440 -d rustenc.check_settings=0 \
            -d display_errors=0 -d log_errors=1 -d error_log="${WEB_LOG[$name]}" -d html_errors=0 \
            -d max_execution_time=60 "${args[@]}" \
            -S "127.0.0.1:${WEB_PORT[$name]}" "$STACK_ROOT/tests/stack/redis-app.php" \
            >>"$STACK_DIR/web-$name.out" 2>&1 </dev/null &
        WEB_PID[$name]=$!
        set +m
        stack_wait_port "${WEB_PORT[$name]}" "${WEB_PID[$name]}" && return 0
        web_stop "$name"
        stack_log "php -S $name: start attempt $attempt failed:"
        tail -5 "$STACK_DIR/web-$name.out" >&2
    done
    stack_fail "php -S $name did not start"
}

web_stop() {
    [ -n "${WEB_PID[$1]:-}" ] && stack_stop_pid "${WEB_PID[$1]}"
    WEB_PID[$1]=
}

# web_url NAME ACTION[?query]
web_url() { echo "http://127.0.0.1:${WEB_PORT[$1]}/$2"; }

# web_problems NAME: warnings, errors and fatals in the PHP log of NAME.
web_problems() { grep -iE 'warning|error|fatal' "${WEB_LOG[$1]}" 2>/dev/null; }

# web_request URL SID: one request as a curl config block (see blast).
web_request() {
    printf 'next\nurl = "%s"\noutput = "/dev/null"\n' "$1"
    [ -n "${2:-}" ] && printf 'header = "Cookie: PHPSESSID=%s"\n' "$2"
    printf 'max-time = 60\nconnect-timeout = 10\nsilent\nshow-error\n'
    printf 'write-out = "%%{http_code} %%header{x-count} %%header{x-error}\\n"\n'
}

# web_blast CONFIG OUT [PARALLEL]: every request of a curl config file,
# PARALLEL (16) at a time; one line "<status> <x-count> <x-error>" each.
web_blast() {
    curl -sS --no-progress-meter -Z --parallel-max "${3:-16}" --config "$1" >"$2" 2>"$2.err"
}

# web_new_session NAME: the id of a fresh session (its count is 1).
web_new_session() {
    curl -sS --max-time 30 -o /dev/null -c - "$(web_url "$1" count)" | awk '$6 == "PHPSESSID" { print $7 }'
}

# web_peek NAME SID: "<status> <count>" of a session, read without locking.
web_peek() {
    curl -sS --max-time 30 -o /dev/null -H "Cookie: PHPSESSID=$2" \
        -w '%{http_code} %header{x-count}' "$(web_url "$1" peek)"
}

# now_ms: milliseconds since the epoch.
now_ms() { date +%s%3N; }

# web_client OUT SID URL...: until $STACK_DIR/stop exists, one request after
# the other on session SID, going round the URLs; one line per response
# "<start ms> <status> <x-count> <x-error>" appended to OUT. Pauses 50 ms after
# a failure, so an outage does not turn into a busy loop.
web_client() {
    local out=$1 sid=$2 i=0 t line
    shift 2
    local urls=("$@")
    while [ ! -e "$STACK_DIR/stop" ]; do
        t=$(now_ms)
        line=$(curl -sS --max-time 20 -o /dev/null -H "Cookie: PHPSESSID=$sid" \
            -w '%{http_code} %header{x-count} %header{x-error}' "${urls[i % ${#urls[@]}]}" 2>&1)
        echo "$t ${line//$'\n'/ }" >>"$out"
        [[ $line == 200* ]] || sleep 0.05
        i=$((i + 1))
    done
}

# web_clients N SID URL...: N web_clients in the background (OUT = clients.K);
# web_clients_stop waits for them.
WEB_CLIENT_PIDS=()
web_clients() {
    local n=$1 k
    shift
    rm -f "$STACK_DIR/stop" "$STACK_DIR"/clients.*
    for k in $(seq "$n"); do
        web_client "$STACK_DIR/clients.$k" "$@" &
        WEB_CLIENT_PIDS+=($!)
    done
}
web_clients_stop() {
    touch "$STACK_DIR/stop"
    wait "${WEB_CLIENT_PIDS[@]}"
    WEB_CLIENT_PIDS=()
    cat "$STACK_DIR"/clients.* | sort -n >"$STACK_DIR/clients"
}

# The outage tests' traffic. outage_web_start SAVE_PATH LEASE_MS: web servers
# a and b on SAVE_PATH with that lock lease. outage_traffic SID: 4 clients
# counting on session SID through both servers (2 ms in each request), given
# 1.5 s to get going before the server is taken away.
outage_web_start() {
    web_start a "$1" -d rustenc.lock_lease_ms="$2"
    web_start b "$1" -d rustenc.lock_lease_ms="$2"
}
outage_traffic() {
    web_clients 4 "$1" "$(web_url a 'count?hold=2')" "$(web_url b 'count?hold=2')"
    sleep 1.5
}

# outage_check SID DOWN_MS BACK_MS SERVER_RE FINAL_COUNT [GRACE_MS [APPLIED_RE]]:
# judges the lines
# web_clients wrote for session SID around an outage from DOWN_MS (server
# killed) to BACK_MS (server back, or a replica promoted). Prints one summary
# line (OUTAGE_LINE) and returns non-zero if:
#   * two successful requests saw the same count, or the final count is below
#     the number of successes (an update lost, yet reported as success), or
#     above it by more than the requests in flight when the server went away
#     and the failures matching APPLIED_RE (written, but refused as not safe:
#     wait_replicas);
#   * a request failed a second before DOWN_MS or earlier, or started more
#     than GRACE_MS (1500) after BACK_MS and failed (it does not work again);
#   * no request failed in between, or fewer than 10 succeeded after BACK_MS;
#   * a failure's message does not match SERVER_RE (the server and a cause),
#     or shows 7 or more characters of the session id.
OUTAGE_LINE=
outage_check() {
    local sid=$1 down=$2 back=$3 re=$4 final=$5 grace=${6:-1500} applied_re=${7:-} f=$STACK_DIR/clients
    local clients applied=0
    clients=$(find "$STACK_DIR" -maxdepth 1 -name 'clients.*' | wc -l)
    [ -z "$applied_re" ] || applied=$(awk '$2 != 200' "$f" | LC_ALL=C grep -acE -- "$applied_re")
    local total ok dup before during after_ok after_bad late_bad unclear leaked
    total=$(wc -l <"$f")
    ok=$(awk '$2 == 200' "$f" | wc -l)
    dup=$(awk '$2 == 200 { print $3 }' "$f" | sort -n | uniq -d | wc -l)
    # A request that started just before the kill may be cut short: only
    # those older than a second must have succeeded.
    before=$(awk -v d="$down" '$1 < d - 1000 && $2 != 200' "$f" | wc -l)
    during=$(awk -v d="$down" -v b="$back" '$1 >= d && $1 < b && $2 != 200' "$f" | wc -l)
    after_ok=$(awk -v b="$back" '$1 >= b && $2 == 200' "$f" | wc -l)
    after_bad=$(awk -v b="$back" '$1 >= b && $2 != 200' "$f" | wc -l)
    late_bad=$(awk -v b="$back" -v g="$grace" '$1 >= b + g && $2 != 200' "$f" | wc -l)
    # Byte-wise (LC_ALL=C, -a): a message may carry bytes that are not
    # UTF-8 (a reply cut off by the kill), which `.` would not match in a
    # UTF-8 locale, and grep would then print "binary file matches".
    unclear=$(awk '$2 != 200' "$f" | LC_ALL=C grep -aciE -- "$re")
    unclear=$(($(awk '$2 != 200' "$f" | wc -l) - unclear))
    leaked=$(LC_ALL=C grep -acF -- "${sid:0:7}" "$f")
    OUTAGE_LINE="$total requests: $ok ok, $before failed before the outage, $during during it"
    OUTAGE_LINE+=" ($((back - down)) ms), $after_bad after it ($late_bad after +$grace ms), $after_ok ok after it;"
    OUTAGE_LINE+=" final count $final, duplicate counts $dup; failures without a clear message $unclear"
    [ -z "$applied_re" ] || OUTAGE_LINE+="; refused after writing (not confirmed) $applied"
    local bad=0
    ((dup == 0)) || { echo "  $dup counts were reported to two successful requests: a lost update"; bad=1; }
    ((final >= ok)) || { echo "  final count $final < $ok successful increments: a lost update"; bad=1; }
    ((final <= ok + clients + applied)) ||
        { echo "  final count $final > $ok successes + $clients in flight + $applied refused after writing"; bad=1; }
    ((before == 0)) || { echo "  $before requests failed before the outage"; bad=1; }
    ((late_bad == 0)) || { echo "  $late_bad requests failed more than $grace ms after the server was back"; bad=1; }
    ((during > 0)) || { echo "  no request failed while the server was away (did the outage happen?)"; bad=1; }
    ((after_ok >= 10)) || { echo "  only $after_ok requests succeeded after the server was back"; bad=1; }
    ((unclear == 0)) || { echo "  failures whose message does not match /$re/:"; awk '$2 != 200' "$f" | LC_ALL=C grep -aviE -- "$re" | head -3 | cat -v; bad=1; }
    ((leaked == 0)) || { echo "  $leaked messages show 7+ characters of the session id"; bad=1; }
    echo "  first failure: $(awk '$2 != 200 { $1 = ""; print; exit }' "$f")"
    return "$bad"
}
