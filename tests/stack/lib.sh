# shellcheck shell=bash
# The test stack: nginx -> php-fpm -> rustenc on loopback ports, started
# without systemd, as production runs it:
#   * php.ini loads the extension; nothing else is scanned (PHP_INI_SCAN_DIR=);
#   * the key is in the php-fpm MASTER's environment only (started with
#     `env -i ... RUSTENC_KEY=...`), the pools have `clear_env = yes`;
#   * each pool: pm = static, 4 workers, running as www-data when we are root,
#     session directory owned by the worker user, mode 0700.
# Sourced by tests/process/*.sh and tests/stack/up. Everything it starts is stopped
# by pid (and its process group) in stack_cleanup, which stack_init installs
# as the EXIT trap, so it also runs when a test fails or times out.
#
#   source tests/stack/lib.sh
#   stack_time_limit 110 "$@"          # re-exec under `timeout` (first thing)
#   stack_init login-flow               # temp dir, traps
#   stack_pool rustenc rustenc          # NAME HANDLER [SESSION_DIR] [ini=value ...]
#   stack_pool files files
#   stack_start                         # php-fpm + nginx, waits until they answer
#   curl "$(stack_url rustenc count)"
#
# Env: RUSTENC_EXT (librustenc.so, default target/release), RUSTENC_KEY (a key
# is generated when unset), RUSTENC_TEST_TMP (where temporary dirs go, default
# target/), STACK_WORKERS (4), STACK_LOCK_TIMEOUT_MS (rustenc's default 10000),
# STACK_KEEP_ON_FAIL=1 (keep the temporary directory, with configs and logs,
# when a test fails).

STACK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK_EXT=${RUSTENC_EXT:-$STACK_ROOT/target/release/librustenc.so}
STACK_WORKERS=${STACK_WORKERS:-4}
# The PHP the extension is built for (scripts/setup installed its cli; in a
# scripts/php-root root, that root's PHP).
STACK_PHP_VERSION=${RUSTENC_PHP_VERSION:-$(php-config --version 2>/dev/null | cut -d. -f1,2)}
STACK_NAME=stack
STACK_DIR=
STACK_FPM_PID=
STACK_NGINX_PID=
STACK_PORT=
STACK_POOLS=()
STACK_CLEANUPS=()
declare -A STACK_POOL_HANDLER=() STACK_POOL_DIR=() STACK_POOL_PORT=() STACK_POOL_INI=()

if [ "$(id -u)" -eq 0 ]; then
    STACK_USER=${STACK_USER:-www-data}
else
    STACK_USER=$(id -un)
fi

stack_log() { printf '[%s %s] %s\n' "$STACK_NAME" "$(date +%H:%M:%S)" "$*" >&2; }
stack_fail() {
    echo "FAIL $STACK_NAME: $*"
    exit 1
}

# stack_time_limit SECONDS "$@": run this script again under `timeout`, so a
# hang anywhere ends it; the EXIT trap then stops the stack.
stack_time_limit() {
    local limit=$1
    shift
    if [ -z "${STACK_LIMITED:-}" ]; then
        exec timeout -k 30 "$limit" env STACK_LIMITED=1 bash "$0" "$@"
    fi
}

# Installs nginx, php<X.Y>-fpm, curl and strace if missing, quietly; safe to repeat.
stack_install() {
    [ -n "$STACK_PHP_VERSION" ] || stack_fail "php-config not found: run scripts/setup"
    stack_need nginx "php$STACK_PHP_VERSION-fpm" "php$STACK_PHP_VERSION-cli" curl strace
}

# stack_need PACKAGE...: installs the Debian packages that are missing,
# quietly, without starting their services; safe to repeat. Also used by
# process tests that start their own php-fpm (after setting STACK_NAME).
stack_need() {
    local p missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    stack_log "installing ${missing[*]}"
    local sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    # Debian starts a packaged service on install (nginx on :80, php-fpm);
    # the tests start their own, so a policy-rc.d (only if there is none)
    # keeps them from starting, and goes again after the install.
    local policy=/usr/sbin/policy-rc.d ours=
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null &&
            "${sudo_cmd[@]}" chmod 0755 "$policy" && ours=1
    fi
    "${sudo_cmd[@]}" apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
    local rc=$?
    [ -n "$ours" ] && "${sudo_cmd[@]}" rm -f "$policy"
    [ "$rc" -eq 0 ] || stack_fail "apt-get install ${missing[*]} failed"
}

# stack_init NAME: the temporary directory and the traps.
stack_init() {
    STACK_NAME=$1
    [ -f "$STACK_EXT" ] || stack_fail "extension not found: $STACK_EXT (cargo build --release)"
    stack_install
    local base=${RUSTENC_TEST_TMP:-$STACK_ROOT/target}
    mkdir -p "$base" || stack_fail "cannot create $base"
    STACK_DIR=$(mktemp -d "$base/$STACK_NAME.XXXXXX") || stack_fail "mktemp in $base"
    chmod 0755 "$STACK_DIR"
    mkdir -p "$STACK_DIR/ctl" "$STACK_DIR/app"
    chown "$STACK_USER" "$STACK_DIR/ctl"
    cp "$STACK_ROOT/tests/stack/app/index.php" "$STACK_DIR/app/index.php"
    chmod -R a+rX "$STACK_DIR/app"
    RUSTENC_KEY=${RUSTENC_KEY:-$(head -c 32 /dev/urandom | base64)}
    trap stack_cleanup EXIT
    if [ "$(id -u)" -eq 0 ] && ! runuser -u "$STACK_USER" -- test -r "$STACK_DIR/app/index.php"; then
        stack_fail "$STACK_USER cannot reach $STACK_DIR (a parent directory not searchable?); set RUSTENC_TEST_TMP"
    fi
    trap 'trap "" INT TERM HUP; echo "FAIL $STACK_NAME: interrupted, or over its time limit"; exit 1' INT TERM HUP
}

# stack_on_cleanup CMD...: run CMD in stack_cleanup, after the servers stop.
stack_on_cleanup() { STACK_CLEANUPS+=("$*"); }

stack_cleanup() {
    local status=$?
    # `timeout` signals this shell and then its whole process group, so a
    # second SIGTERM can arrive while cleaning up: ignore it, or it would cut
    # the cleanup short and leave the servers running.
    trap '' INT TERM HUP
    trap - EXIT
    stack_stop
    local c
    for c in "${STACK_CLEANUPS[@]}"; do eval "$c" || true; done
    if [ -n "$STACK_DIR" ] && [ -d "$STACK_DIR" ]; then
        if [ "$status" -ne 0 ] && [ -n "${STACK_KEEP_ON_FAIL:-}" ]; then
            echo "kept $STACK_DIR"
        else
            rm -rf "$STACK_DIR"
        fi
    fi
    exit "$status"
}

# stack_pool NAME HANDLER [SESSION_DIR] [INI=VALUE ...]: a pool at /NAME/.
stack_pool() {
    local name=$1 handler=$2 dir=${3:-}
    shift 2
    (($#)) && shift
    if [ -z "$dir" ]; then
        dir=$STACK_DIR/sessions-$name
        mkdir -m 0700 "$dir" || stack_fail "mkdir $dir"
        chown "$STACK_USER:" "$dir"
    fi
    STACK_POOLS+=("$name")
    STACK_POOL_HANDLER[$name]=$handler
    STACK_POOL_DIR[$name]=$dir
    STACK_POOL_INI[$name]="$*"
}

stack_free_port() {
    php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0", $e, $m) or exit(1);
               echo explode(":", stream_socket_get_name($s, false))[1];'
}

# stack_wait_port PORT PID WHAT: until PORT accepts (20 s), or PID died.
stack_wait_port() {
    for _ in $(seq 200); do
        kill -0 "$2" 2>/dev/null || return 1
        php -n -r 'exit(@fsockopen("127.0.0.1", (int)$argv[1], $e, $m, 1) ? 0 : 1);' "$1" && return 0
        sleep 0.1
    done
    return 1
}

stack_write_config() {
    local name ini kv
    {
        echo "; written by tests/stack/lib.sh"
        echo "extension = $STACK_EXT"
        echo "error_reporting = E_ALL"
        echo "display_errors = Off"
        echo "log_errors = On"
        echo "html_errors = Off"
        echo "max_execution_time = 60"
        echo "memory_limit = 256M"
        echo "post_max_size = 8M"
        # The recommended session settings of the README.
        echo "session.use_strict_mode = 1"
        echo "session.use_only_cookies = 1"
        echo "session.sid_length = 32"
        echo "session.cookie_httponly = 1"
        echo "session.cookie_samesite = Lax"
        # Plain http on loopback: a Secure cookie would never come back, so the
        # settings notice (which asks for cookie_secure) is off.
        echo "rustenc.check_settings = 0"
        echo "session.gc_probability = 0"
        echo "session.gc_maxlifetime = 1440"
    } >"$STACK_DIR/php.ini"
    {
        printf '[global]\npid = %s\nerror_log = %s\ndaemonize = no\nlog_level = notice\n' \
            "$STACK_DIR/fpm.pid" "$STACK_DIR/fpm.log"
        for name in "${STACK_POOLS[@]}"; do
            STACK_POOL_PORT[$name]=$(stack_free_port) || stack_fail "no free port"
            echo "[$name]"
            if [ "$(id -u)" -eq 0 ]; then
                echo "user = $STACK_USER"
                echo "group = $(id -gn "$STACK_USER")"
            fi
            echo "listen = 127.0.0.1:${STACK_POOL_PORT[$name]}"
            echo "pm = static"
            echo "pm.max_children = $STACK_WORKERS"
            echo "clear_env = yes"
            echo "catch_workers_output = yes"
            echo "request_terminate_timeout = 90s"
            touch "$STACK_DIR/php-$name.log"
            chown "$STACK_USER:" "$STACK_DIR/php-$name.log"
            echo "php_admin_value[error_log] = $STACK_DIR/php-$name.log"
            echo "php_admin_value[session.save_handler] = ${STACK_POOL_HANDLER[$name]}"
            echo "php_admin_value[session.save_path] = ${STACK_POOL_DIR[$name]}"
            [ -n "${STACK_LOCK_TIMEOUT_MS:-}" ] &&
                echo "php_admin_value[rustenc.lock_timeout_ms] = $STACK_LOCK_TIMEOUT_MS"
            for kv in ${STACK_POOL_INI[$name]}; do
                echo "php_admin_value[${kv%%=*}] = ${kv#*=}"
            done
        done
    } >"$STACK_DIR/fpm.conf"
    install -d -m 0700 "$STACK_DIR/nginx"
    for ini in client_body proxy fastcgi uwsgi scgi; do
        install -d -m 0700 "$STACK_DIR/nginx/$ini"
    done
    chown -R "$STACK_USER:" "$STACK_DIR/nginx"
    STACK_PORT=$(stack_free_port) || stack_fail "no free port"
    {
        echo "worker_processes 2;"
        [ "$(id -u)" -eq 0 ] && echo "user $STACK_USER $(id -gn "$STACK_USER");"
        echo "pid $STACK_DIR/nginx.pid;"
        echo "error_log $STACK_DIR/nginx-error.log warn;"
        echo "events { worker_connections 512; }"
        echo "http {"
        echo "  access_log $STACK_DIR/nginx-access.log;"
        echo "  keepalive_timeout 30;"
        echo "  client_max_body_size 8m;"
        for ini in client_body proxy fastcgi uwsgi scgi; do
            echo "  ${ini}_temp_path $STACK_DIR/nginx/$ini;"
        done
        echo "  server {"
        echo "    listen 127.0.0.1:$STACK_PORT;"
        for name in "${STACK_POOLS[@]}"; do
            echo "    location /$name/ {"
            echo "      include /etc/nginx/fastcgi_params;"
            echo "      fastcgi_param SCRIPT_FILENAME $STACK_DIR/app/index.php;"
            echo "      fastcgi_param SCRIPT_NAME /$name/index.php;"
            echo "      fastcgi_param STACK_POOL $name;"
            echo "      fastcgi_param STACK_CTL $STACK_DIR/ctl;"
            echo "      fastcgi_read_timeout 90s;"
            echo "      fastcgi_pass 127.0.0.1:${STACK_POOL_PORT[$name]};"
            echo "    }"
        done
        echo "  }"
        echo "}"
    } >"$STACK_DIR/nginx.conf"
}

# stack_start: php-fpm and nginx, each in its own process group (set -m), so
# that stopping the group also stops every worker.
stack_start() {
    local attempt name
    for attempt in 1 2 3; do
        stack_write_config
        set -m
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin PHP_INI_SCAN_DIR= RUSTENC_KEY="$RUSTENC_KEY" \
            "php-fpm$STACK_PHP_VERSION" -F -y "$STACK_DIR/fpm.conf" -c "$STACK_DIR/php.ini" \
            >>"$STACK_DIR/fpm.out" 2>&1 </dev/null &
        STACK_FPM_PID=$!
        nginx -e "$STACK_DIR/nginx-error.log" -p "$STACK_DIR/nginx" -c "$STACK_DIR/nginx.conf" \
            -g 'daemon off;' >>"$STACK_DIR/nginx.out" 2>&1 </dev/null &
        STACK_NGINX_PID=$!
        set +m
        local ok=1
        for name in "${STACK_POOLS[@]}"; do
            stack_wait_port "${STACK_POOL_PORT[$name]}" "$STACK_FPM_PID" || ok=0
        done
        stack_wait_port "$STACK_PORT" "$STACK_NGINX_PID" || ok=0
        if ((ok)); then
            for name in "${STACK_POOLS[@]}"; do
                stack_ping "$name" || ok=0
            done
        fi
        if ((ok)); then
            stack_log "nginx :$STACK_PORT (pid $STACK_NGINX_PID) -> php-fpm (pid $STACK_FPM_PID," \
                "pools: ${STACK_POOLS[*]}, $STACK_WORKERS workers each, user $STACK_USER)"
            return 0
        fi
        stack_log "start attempt $attempt failed (a port taken?):"
        tail -5 "$STACK_DIR/fpm.out" "$STACK_DIR/fpm.log" "$STACK_DIR/nginx-error.log" 2>/dev/null >&2
        stack_stop
    done
    stack_fail "the stack did not start"
}

# stack_ping NAME: the pool answers, and its workers do not see the key.
stack_ping() {
    local out
    out=$(curl -sS --max-time 10 -w ' %{http_code} %header{x-key-visible}' "$(stack_url "$1" ping)") || return 1
    case $out in
    *" 200 no") return 0 ;;
    *" 200 yes") stack_fail "pool $1: RUSTENC_KEY is visible to the worker (clear_env?)" ;;
    *) stack_log "ping $1: $out"; return 1 ;;
    esac
}

# stack_stop_pid PID: SIGTERM, up to 10 s, then SIGKILL to its whole group.
stack_stop_pid() {
    local pid=$1
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- -"$pid" 2>/dev/null
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    # Workers (same process group) that outlived a killed master.
    kill -KILL -- -"$pid" 2>/dev/null
    return 0
}

stack_stop() {
    stack_stop_pid "$STACK_NGINX_PID"
    STACK_NGINX_PID=
    stack_stop_pid "$STACK_FPM_PID"
    STACK_FPM_PID=
}

# stack_url NAME ACTION[?query]
stack_url() { echo "http://127.0.0.1:$STACK_PORT/$1/$2"; }

# The php-fpm workers of the pool NAME (children of our master).
stack_workers() {
    ps -o pid=,args= --ppid "$STACK_FPM_PID" | awk -v p="pool $1" 'index($0, p) { print $1 }'
}

# Lines in the PHP log of pool NAME matching a warning, error or fatal.
stack_php_problems() {
    grep -iE 'warning|error|fatal' "$STACK_DIR/php-$1.log" 2>/dev/null
}

# stack_gc NAME [MAXLIFETIME]: rustenc_gc() from the CLI, as a cron job would.
stack_gc() {
    php -n -d extension="$STACK_EXT" -r 'echo rustenc_gc($argv[1], (int)$argv[2]), "\n";' \
        "${STACK_POOL_DIR[$1]}" "${2:-1440}"
}
