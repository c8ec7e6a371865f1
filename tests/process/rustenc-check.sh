#!/usr/bin/env bash
# debian/rustenc-check.in (installed as /usr/sbin/rustenc-check) asks a RUNNING
# php-fpm pool, through its FastCGI socket, for rustenc_check(): the pool's
# own key (loaded by the master, invisible to a shell), settings and user.
# Three pools of one php-fpm, each on a unix socket: stock PHP settings
# (works, weak: exit 2), recommended settings (exit 0), a refused directory
# (exit 1); a socket nobody listens on: exit 3. `php --ri rustenc` from the
# shell meanwhile says NOT LOADED (no key in the shell), as README.Debian says.
#
# Env: RUSTENC_EXT (librustenc.so; default target/release), RUSTENC_TEST_TMP.
set -uo pipefail
[ -n "${RUSTENC_CHECK_LIMITED:-}" ] ||
    exec timeout -k 5 60 env RUSTENC_CHECK_LIMITED=1 bash "$0" "$@"
cd "$(dirname "$0")/../.."
ext=${RUSTENC_EXT:-$PWD/target/release/librustenc.so}
fail() { echo "FAIL rustenc-check: $*"; exit 1; }
[ -f "$ext" ] || fail "extension not found: $ext (build with cargo build --release)"
# php-fpm of the PHP the extension is built for, and cgi-fcgi (libfcgi-bin).
# shellcheck source=tests/stack/lib.sh
source tests/stack/lib.sh
STACK_NAME=rustenc-check
[ -n "$STACK_PHP_VERSION" ] || fail "php-config not found: run scripts/setup"
stack_need "php$STACK_PHP_VERSION-fpm" libfcgi-bin

base=${RUSTENC_TEST_TMP:-$PWD/target}
mkdir -p "$base" && tmp=$(mktemp -d "$base/rustenc-check.XXXXXX") || fail "cannot make a directory in $base"
chmod 0755 "$tmp"
fpm=
trap 'trap "" INT TERM; [ -n "$fpm" ] && { kill -- -"$fpm" 2>/dev/null; wait "$fpm" 2>/dev/null; }; rm -rf "$tmp"' EXIT
trap 'trap "" INT TERM; echo "FAIL rustenc-check: interrupted, or over the time limit"; exit 1' INT TERM

user=$(id -un)
[ "$(id -u)" -eq 0 ] && user=www-data
install -d -m 0755 "$tmp/share"
install -m 0644 debian/rustenc-check.php "$tmp/share/rustenc-check.php"
# The script as debian/rules fills in its template for this PHP.
sed "s/@PHP_VERSION@/$STACK_PHP_VERSION/g" debian/rustenc-check.in >"$tmp/rustenc-check"
for pool in stock good broken; do
    install -d -m 0700 -o "$user" "$tmp/sessions-$pool"
done
chmod 0777 "$tmp/sessions-broken" # others can write: refused
{
    printf '[global]\npid = %s\nerror_log = %s\ndaemonize = no\n' "$tmp/fpm.pid" "$tmp/fpm.log"
    for pool in stock good broken; do
        echo "[$pool]"
        [ "$(id -u)" -eq 0 ] && printf 'user = www-data\ngroup = www-data\nlisten.owner = root\n'
        echo "listen = $tmp/$pool.sock"
        echo "pm = static"
        echo "pm.max_children = 1"
        echo "clear_env = yes"
        echo "php_admin_value[session.save_handler] = rustenc"
        echo "php_admin_value[session.save_path] = $tmp/sessions-$pool"
        [ "$pool" = good ] && echo "php_admin_value[session.use_strict_mode] = 1"
    done
} >"$tmp/fpm.conf"
key=$(head -c 32 /dev/urandom | base64)
set -m
env -i PATH="$PATH" RUSTENC_KEY="$key" "php-fpm$STACK_PHP_VERSION" -F -n -y "$tmp/fpm.conf" -d extension="$ext" \
    >"$tmp/fpm.out" 2>&1 </dev/null &
fpm=$!
set +m
for _ in $(seq 100); do
    [ -S "$tmp/stock.sock" ] && [ -S "$tmp/good.sock" ] && [ -S "$tmp/broken.sock" ] && break
    kill -0 "$fpm" 2>/dev/null || fail "php-fpm did not start: $(cat "$tmp/fpm.out" "$tmp/fpm.log")"
    sleep 0.1
done

check() { # POOL EXPECTED-EXIT PATTERN...
    local pool=$1 want=$2 out code
    shift 2
    out=$(RUSTENC_CHECK_PHP="$tmp/share/rustenc-check.php" sh "$tmp/rustenc-check" "$tmp/$pool.sock" 2>&1)
    code=$?
    [ "$code" -eq "$want" ] || fail "pool $pool: exit $code, expected $want: $out"
    local p
    for p in "$@"; do
        grep -qE -- "$p" <<<"$out" || fail "pool $pool: no /$p/ in: $out"
    done
    echo "ok pool $pool: exit $code"
}
check stock 2 '\[status\] => 2' '\[id\] => [0-9a-f]{16}' 'session.use_strict_mode=0' "works, settings weak"
check good 0 '\[status\] => 0' '\[id\] => [0-9a-f]{16}' 'as recommended'
check broken 1 '\[status\] => 1' 'is mode 0777' 'BROKEN'
out=$(RUSTENC_CHECK_PHP="$tmp/share/rustenc-check.php" sh "$tmp/rustenc-check" "$tmp/none.sock" 2>&1)
code=$?
[ "$code" -eq 3 ] || fail "no pool: exit $code, expected 3: $out"
echo "ok no pool: exit 3 ($out)"
# The shell's view: a new PHP without the master's environment.
ri=$(env -i PATH="$PATH" php -n -d extension="$ext" --ri rustenc)
grep -q '^key => NOT LOADED' <<<"$ri" || fail "php --ri from a shell without the key: $ri"
echo "ok php --ri from a shell: key => NOT LOADED (what README.Debian says it shows)"
echo "PASS rustenc-check"
