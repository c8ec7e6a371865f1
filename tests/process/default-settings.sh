#!/usr/bin/env bash
# PHP's default settings (no php.ini: `-n`, so display_errors=1,
# session.use_strict_mode=0; session.save_path empty, PHP's own default,
# which Debian's build replaces with /var/lib/php/sessions, a shared directory
# rustenc refuses with its own message) with only
# session.save_handler=rustenc, as a new user tries it: a counter page must
# get its session cookie and count 1, 2, 3, under `php -S` and under php-fpm
# (spoken to over FastCGI with cgi-fcgi, as a web server would). Nothing
# rustenc says may reach the page; the weak settings and the default
# directory are said once per process in the error log instead. With
# session.save_path empty and no /var/lib/php/rustenc, sessions go to a
# private directory (0700) under PHP's temporary directory.
#
# Before issue 10 an E_NOTICE about the settings was printed before the
# cookie, so every request started a new session (counter stuck at 1).
#
# Env: RUSTENC_EXT (librustenc.so; default target/release), RUSTENC_TEST_TMP.
# Talks only to 127.0.0.1; stops its servers by pid and removes its files.
set -uo pipefail
[ -n "${RUSTENC_DEFAULTS_LIMITED:-}" ] ||
    exec timeout -k 5 100 env RUSTENC_DEFAULTS_LIMITED=1 bash "$0" "$@"
cd "$(dirname "$0")/../.."

ext=${RUSTENC_EXT:-$PWD/target/release/librustenc.so}
fail() { echo "FAIL default-settings: $*"; exit 1; }
[ -f "$ext" ] || fail "extension not found: $ext (build with cargo build --release)"
# php-fpm of the PHP the extension is built for, and cgi-fcgi (libfcgi-bin).
# shellcheck source=tests/stack/lib.sh
source tests/stack/lib.sh
STACK_NAME=default-settings
[ -n "$STACK_PHP_VERSION" ] || fail "php-config not found: run scripts/setup"
stack_need "php$STACK_PHP_VERSION-fpm" libfcgi-bin
fpm=php-fpm$STACK_PHP_VERSION
command -v "$fpm" >/dev/null || fail "$fpm is missing (apt-get install php$STACK_PHP_VERSION-fpm)"

base=${RUSTENC_TEST_TMP:-$PWD/target}
mkdir -p "$base" && tmp=$(mktemp -d "$base/default-settings.XXXXXX") || fail "cannot make a directory in $base"
chmod 0755 "$tmp"
pids=()
stop() {
    local p
    for p in "${pids[@]}"; do
        kill -- -"$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    pids=()
}
trap 'trap "" INT TERM; stop; rm -rf "$tmp"' EXIT
trap 'trap "" INT TERM; echo "FAIL default-settings: interrupted, or over the time limit"; exit 1' INT TERM

key=$(head -c 32 /dev/urandom | base64)
package_dir_exists=0
[ -e /var/lib/php/rustenc ] && package_dir_exists=1

mkdir "$tmp/app"
cat >"$tmp/app/counter.php" <<'PHP'
<?php
session_start();
$_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
echo "count=", $_SESSION['n'], "\n";
PHP
chmod -R a+rX "$tmp/app"

# check_counter NAME BODY1 BODY2 BODY3 HEADERS1: the three pages and the
# first response's headers.
check_counter() {
    local name=$1 headers=$5
    [ "$2" = "count=1" ] && [ "$3" = "count=2" ] && [ "$4" = "count=3" ] ||
        fail "$name: the counter did not count 1, 2, 3; pages were: [$2] [$3] [$4]"
    grep -qi '^Set-Cookie: PHPSESSID=' <<<"$headers" || fail "$name: no session cookie was sent: $headers"
    echo "ok $name: cookie sent, counter 1, 2, 3, nothing but the count on the page"
}

# check_log NAME LOG DIR: the settings advice and the directory, each once.
check_log() {
    local name=$1 log=$2 dir=$3 n
    n=$(grep -c 'rustenc: weak session settings: session.use_strict_mode=0' "$log")
    [ "$n" -eq 1 ] || fail "$name: expected the weak-settings line once in the log, found $n: $(cat "$log")"
    if [ "$package_dir_exists" -eq 0 ]; then
        n=$(grep -c "rustenc: session.save_path is empty: sessions are kept in $dir\"\?\$" "$log")
        [ "$n" -eq 1 ] || fail "$name: expected the default-directory line once, found $n: $(cat "$log")"
        [ "$(stat -c %a "$dir")" = 700 ] || fail "$name: $dir is mode $(stat -c %a "$dir"), not 0700"
        [ -n "$(find "$dir" -name 'rustenc_*' -print -quit)" ] || fail "$name: no session file in $dir"
    fi
    echo "ok $name: weak settings and the session directory logged once"
}

# --- php -S: TMPDIR names PHP's temporary directory.
mkdir -m 1777 "$tmp/tmp-cli"
port=$(stack_free_port)
set -m
env -i PATH="$PATH" TMPDIR="$tmp/tmp-cli" RUSTENC_KEY="$key" \
    php -n -d extension="$ext" -d session.save_handler=rustenc -d session.save_path= -S "127.0.0.1:$port" -t "$tmp/app" \
    >"$tmp/cli-server.log" 2>&1 </dev/null &
pids+=($!)
set +m
stack_wait_port "$port" "${pids[0]}" || fail "php -S did not start: $(cat "$tmp/cli-server.log")"
jar=$tmp/jar-cli
b1=$(curl -sS -D "$tmp/h1" -c "$jar" -b "$jar" "http://127.0.0.1:$port/counter.php")
b2=$(curl -sS -c "$jar" -b "$jar" "http://127.0.0.1:$port/counter.php")
b3=$(curl -sS -c "$jar" -b "$jar" "http://127.0.0.1:$port/counter.php")
stop
check_counter "php -S" "$b1" "$b2" "$b3" "$(cat "$tmp/h1")"
check_log "php -S" "$tmp/cli-server.log" "$tmp/tmp-cli/rustenc-$(id -u)"

# --- php-fpm, one worker; sys_temp_dir names the temporary directory (the
# workers' environment is cleared).
mkdir -m 1777 "$tmp/tmp-fpm"
port=$(stack_free_port)
user=$(id -un)
[ "$(id -u)" -eq 0 ] && user=www-data
cat >"$tmp/fpm.conf" <<EOF
[global]
pid = $tmp/fpm.pid
error_log = $tmp/fpm.log
daemonize = no
[app]
listen = 127.0.0.1:$port
pm = static
pm.max_children = 1
catch_workers_output = yes
$([ "$(id -u)" -eq 0 ] && printf 'user = www-data\ngroup = www-data\n')
EOF
set -m
env -i PATH="$PATH" RUSTENC_KEY="$key" \
    "$fpm" -F -n -y "$tmp/fpm.conf" -d extension="$ext" -d session.save_handler=rustenc \
    -d session.save_path= -d sys_temp_dir="$tmp/tmp-fpm" >"$tmp/fpm.out" 2>&1 </dev/null &
pids+=($!)
set +m
stack_wait_port "$port" "${pids[0]}" || fail "php-fpm did not start: $(cat "$tmp/fpm.out" "$tmp/fpm.log")"
# fcgi_get COOKIE: one GET of counter.php; prints the whole response
# (headers, blank line, body); what the worker logs goes to $tmp/fcgi-stderr.
fcgi_get() {
    env -i REQUEST_METHOD=GET SCRIPT_FILENAME="$tmp/app/counter.php" SCRIPT_NAME=/counter.php \
        REQUEST_URI=/counter.php SERVER_PROTOCOL=HTTP/1.1 HTTP_HOST=localhost \
        ${1:+HTTP_COOKIE="$1"} cgi-fcgi -bind -connect "127.0.0.1:$port" 2>>"$tmp/fcgi-stderr" | tr -d '\r'
}
body() { sed '1,/^$/d'; }
r1=$(fcgi_get "")
cookie=$(sed -n 's/^Set-Cookie: \(PHPSESSID=[^;]*\).*/\1/p' <<<"$r1")
r2=$(fcgi_get "$cookie")
r3=$(fcgi_get "$cookie")
sleep 0.3 # the master writes what it caught from the worker
stop
# The worker's log lines reach the FastCGI error stream (what nginx logs) and,
# with catch_workers_output, php-fpm's log: count them there, one per line.
grep -q 'rustenc: weak session settings' "$tmp/fcgi-stderr" ||
    fail "php-fpm: the FastCGI error stream has no weak-settings line: $(cat "$tmp/fcgi-stderr")"
check_counter "php-fpm" "$(body <<<"$r1")" "$(body <<<"$r2")" "$(body <<<"$r3")" "$r1"
check_log "php-fpm" "$tmp/fpm.log" "$tmp/tmp-fpm/rustenc-$(id -u "$user")"
echo "PASS default-settings"
