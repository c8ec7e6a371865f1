#!/usr/bin/env bash
# php-fpm and the key (issue 10, findings 3, 4 and 5), through FastCGI
# (cgi-fcgi), with the key and a retired key in the MASTER's environment:
#
#   pool a  clear_env = no and env[RUSTENC_KEY] = $RUSTENC_KEY (the worst
#           case): a script sees neither variable (getenv(), $_SERVER, a child
#           process of exec(), /proc/self/environ), and sessions work;
#           rustenc_gc() is refused outside the CLI.
#   pool b  php_admin_value[rustenc.key_file] (a pool wanting its own key):
#           rustenc_check() and phpinfo() say the keys come from the master's
#           $RUSTENC_KEY and warn that the pool's key file is not used.
#   pool c  env[RUSTENC_KEY] = <the key, literally>: rustenc_check() reports
#           the key as visible to scripts.
#
# Neither the master's nor a worker's /proc/<pid>/environ may hold a key, and
# after a reload (SIGUSR2) the master still has the key.
# Needs root (pools run as www-data); installs php<X.Y>-fpm (the PHP the
# extension is built for) and libfcgi-bin (cgi-fcgi, a FastCGI client) if missing.
# Env: RUSTENC_EXT (librustenc.so; default target/release).
set -uo pipefail
[ -n "${RUSTENC_FPM_LIMITED:-}" ] ||
    exec timeout -k 5 60 env RUSTENC_FPM_LIMITED=1 bash "$0" "$@"
cd "$(dirname "$0")/../.."
ext=${RUSTENC_EXT:-$PWD/target/release/librustenc.so}
fail() { echo "FAIL fpm-key-environment: $*"; exit 1; }
[ -f "$ext" ] || fail "extension not found: $ext"
[ "$(id -u)" -eq 0 ] || fail "needs root (pools run as www-data)"
# php-fpm of the PHP the extension is built for, and cgi-fcgi (libfcgi-bin).
# shellcheck source=tests/stack/lib.sh
source tests/stack/lib.sh
STACK_NAME=fpm-key-environment
[ -n "$STACK_PHP_VERSION" ] || fail "php-config not found: run scripts/setup"
stack_need "php$STACK_PHP_VERSION-fpm" libfcgi-bin
fpm=$(command -v "php-fpm$STACK_PHP_VERSION" || echo "/usr/sbin/php-fpm$STACK_PHP_VERSION")
[ -x "$fpm" ] || fail "php-fpm$STACK_PHP_VERSION is not installed (apt install php$STACK_PHP_VERSION-fpm)"

tmp=$(mktemp -d)
fpm_pid=
cleanup() {
    if [ -n "$fpm_pid" ]; then
        kill "$fpm_pid" 2>/dev/null
        wait "$fpm_pid" 2>/dev/null
    fi
    [ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
chmod 0755 "$tmp"
install -d -m 0700 -o www-data -g www-data "$tmp/sessions"
key=$(head -c 32 /dev/urandom | base64)
previous=$(head -c 32 /dev/urandom | base64)
pool_key=$(head -c 32 /dev/urandom | base64)
install -m 0600 /dev/null "$tmp/pool-b.key"
echo "$pool_key" >"$tmp/pool-b.key"

declare -A port=([a]=$(stack_free_port) [b]=$(stack_free_port) [c]=$(stack_free_port))

cat >"$tmp/php.ini" <<INI
extension = $ext
session.save_handler = rustenc
session.save_path = $tmp/sessions
session.use_strict_mode = 1
session.use_cookies = 0
session.cache_limiter =
display_errors = 1
html_errors = 0
log_errors = 0
rustenc.check_settings = 0
INI
{
    echo "[global]"
    echo "error_log = $tmp/fpm.log"
    echo "daemonize = no"
    for pool in a b c; do
        echo "[$pool]"
        echo "user = www-data"
        echo "group = www-data"
        echo "listen = 127.0.0.1:${port[$pool]}"
        echo "pm = static"
        echo "pm.max_children = 1"
        case $pool in
        a)
            echo "clear_env = no"
            echo "env[RUSTENC_KEY] = \$RUSTENC_KEY"
            echo "env[RUSTENC_PREVIOUS_KEYS] = \$RUSTENC_PREVIOUS_KEYS"
            ;;
        b) echo "php_admin_value[rustenc.key_file] = $tmp/pool-b.key" ;;
        c) echo "env[RUSTENC_KEY] = \"$key\"" ;;
        esac
    done
} >"$tmp/fpm.conf"

cat >"$tmp/check.php" <<'PHP'
<?php
$state = fn ($v) => match (true) { $v === false, $v === null => 'unset', $v === '' => 'empty', default => 'set' };
echo "getenv=", $state(getenv('RUSTENC_KEY')), "\n";
echo "server=", $state($_SERVER['RUSTENC_KEY'] ?? null), "\n";
$env = shell_exec('env');
echo "child_sees_name=", str_contains($env, 'RUSTENC_KEY=') && !str_contains($env, "RUSTENC_KEY=\n") ? 'yes' : 'no', "\n";
foreach (['key', 'previous'] as $k) {
    echo "leak_$k=", str_contains($env, $_GET[$k]) ? 'yes' : 'no', "\n";
}
session_start();
$_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
echo "session=", session_id() !== '' ? 'ok' : 'failed', "\n";
session_write_close();
$r = rustenc_check();
echo "key_ok=", var_export($r['key']['ok'], true), "\n";
echo "key_source=", $r['key']['source'], "\n";
echo "key_configured=", $r['key']['configured'], "\n";
echo "key_error=", $r['key']['error'] ?? '', "\n";
echo "env_ok=", var_export($r['environment']['ok'], true), "\n";
echo "env_visible=", implode(',', $r['environment']['visible']), "\n";
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
echo "phpinfo_warning=", str_contains($info, 'key source WARNING') ? 'yes' : 'no', "\n";
echo "gc=", @rustenc_gc(), " ", error_get_last()['message'] ?? '', "\n";
PHP

env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin PHP_INI_SCAN_DIR= \
    RUSTENC_KEY="$key" RUSTENC_PREVIOUS_KEYS="$previous" \
    "$fpm" -F -y "$tmp/fpm.conf" -c "$tmp/php.ini" >"$tmp/fpm.out" 2>&1 &
fpm_pid=$!

request() {
    local pool=$1
    env -i SCRIPT_FILENAME="$tmp/check.php" REQUEST_METHOD=GET SERVER_PROTOCOL=HTTP/1.1 \
        QUERY_STRING="key=$(printf %s "$key" | sed 's/+/%2B/g; s/\//%2F/g; s/=/%3D/g')&previous=$(printf %s "$previous" | sed 's/+/%2B/g; s/\//%2F/g; s/=/%3D/g')" \
        cgi-fcgi -bind -connect "127.0.0.1:${port[$pool]}" 2>&1
}
for _ in $(seq 100); do
    request a | grep -q '^session=' && break
    sleep 0.1
done
declare -A out
for pool in a b c; do
    out[$pool]=$(request "$pool")
    echo "--- pool $pool"
    echo "${out[$pool]}" | grep -v '^\(Content-type\|X-Powered-By\|Expires\|Cache-Control\|Pragma\):'
done
expect() { # POOL LINE
    grep -qxF -- "$2" <<<"${out[$1]}" || fail "pool $1: expected '$2'"
}
expect_match() { # POOL REGEX
    grep -qE -- "$2" <<<"${out[$1]}" || fail "pool $1: expected /$2/"
}
for pool in a b c; do
    grep -qF "$key" <<<"${out[$pool]}" && fail "pool $pool: the key appears in the response"
    expect "$pool" "session=ok"
    expect "$pool" "leak_previous=no"
    expect "$pool" "key_source=\$RUSTENC_KEY, previous keys \$RUSTENC_PREVIOUS_KEYS"
    expect_match "$pool" "^gc=-1 .*rustenc_gc\(\) runs only from the command line .* not under the fpm-fcgi SAPI"
done
# a: nothing of the key reaches the script, though the pool asks for it.
expect a "getenv=empty"
expect a "server=empty"
expect a "child_sees_name=no"
expect a "leak_key=no"
expect a "key_ok=true"
expect a "env_ok=true"
expect a "phpinfo_warning=no"
# b: the pool's key file is named, but the master's key is what seals.
expect b "key_configured=key file $tmp/pool-b.key"
expect b "key_ok=false"
expect_match b "^key_error=.*this process uses the keys from \\\$RUSTENC_KEY.*a pool cannot have its own key"
expect b "phpinfo_warning=yes"
expect b "getenv=unset"
# c: the key handed to scripts is reported.
expect c "getenv=set"
expect c "env_ok=false"
expect c "env_visible=RUSTENC_KEY"
expect c "leak_previous=no"
# Neither the master nor a worker keeps a copy in its environment block
# (/proc/<pid>/environ, readable by root and the process's user), and no
# worker holds the stash that carries the keys across a reload.
check_processes() {
    local pid
    for pid in "$fpm_pid" $(pgrep -P "$fpm_pid"); do
        for secret in "$key" "$previous"; do
            grep -qaF "$secret" "/proc/$pid/environ" && fail "/proc/$pid/environ holds a key ($(tr '\0' ' ' <"/proc/$pid/cmdline"))"
        done
        if [ "$pid" != "$fpm_pid" ] && ls -l "/proc/$pid/fd" | grep -q 'memfd:rustenc-keys'; then
            fail "worker $pid holds the key stash"
        fi
    done
}
check_processes

# A reload (SIGUSR2, what systemctl reload does) re-executes the master,
# whose environment no longer has the key: it must still load it.
kill -USR2 "$fpm_pid"
sleep 1
for _ in $(seq 100); do
    reloaded=$(request a)
    grep -q '^session=' <<<"$reloaded" && break
    sleep 0.1
done
out[a]=$reloaded
echo "--- pool a after a reload"
echo "${out[a]}" | grep -E '^(session|key_ok|getenv|leak_key)='
expect a "session=ok"
expect a "key_ok=true"
expect a "getenv=empty"
expect a "leak_key=no"
# Every worker has started a request now: none may hold the stash (a
# worker closes it when its first request starts, before any script runs).
request b >/dev/null
request c >/dev/null
check_processes
echo "PASS fpm-key-environment"
