#!/usr/bin/env bash
# rustenc_gc() and rustenc_import_files() act on every site's sessions, so
# under a web SAPI (here php -S, "cli-server") they are refused unless
# rustenc.allow_maintenance_in_web = 1 is set at system level (php.ini, -d);
# a script cannot allow itself with ini_set(). Issue 10, finding 3.
#
# Env: RUSTENC_EXT (librustenc.so; default target/release).
set -uo pipefail
[ -n "${RUSTENC_MAINT_LIMITED:-}" ] ||
    exec timeout -k 5 40 env RUSTENC_MAINT_LIMITED=1 bash "$0" "$@"
cd "$(dirname "$0")/../.."
ext=${RUSTENC_EXT:-$PWD/target/release/librustenc.so}
fail() { echo "FAIL maintenance-web: $*"; exit 1; }
[ -f "$ext" ] || fail "extension not found: $ext"
# shellcheck source=tests/stack/lib.sh
source tests/stack/lib.sh # stack_free_port

tmp=$(mktemp -d)
server=
stop() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null
        wait "$server" 2>/dev/null
        server=
    fi
}
trap 'stop; rm -rf "$tmp"' EXIT
install -d -m 0700 "$tmp/sessions" "$tmp/files" "$tmp/docroot"
cat >"$tmp/docroot/index.php" <<'PHP'
<?php
$dir = getenv('SESSIONS');
touch("$dir/rustenc_expired1");
touch("$dir/rustenc_expired1", time() - 3600);
echo "ini_set=", var_export(ini_set('rustenc.allow_maintenance_in_web', '1'), true), "\n";
echo "gc=", @rustenc_gc($dir, 60), "|", error_get_last()['message'] ?? '', "\n";
error_clear_last();
$r = @rustenc_import_files(getenv('FILES'), $dir);
echo "import=", var_export($r['ok'], true), "|", $r['errors'][0] ?? '', "\n";
echo "expired_left=", file_exists("$dir/rustenc_expired1") ? 'yes' : 'no', "\n";
PHP

start() { # extra php -d options
    local port
    port=$(stack_free_port)
    SESSIONS=$tmp/sessions FILES=$tmp/files RUSTENC_KEY=$(head -c 32 /dev/urandom | base64) \
        php -n -d extension="$ext" -d display_errors=0 -d variables_order=EGPCS "$@" \
        -S "127.0.0.1:$port" -t "$tmp/docroot" >"$tmp/server.log" 2>&1 &
    server=$!
    for _ in $(seq 50); do
        curl -s "http://127.0.0.1:$port/" >/dev/null && break
        sleep 0.1
    done
    body=$(curl -s "http://127.0.0.1:$port/")
    echo "$body"
}

echo "--- default (rustenc.allow_maintenance_in_web = 0)"
start
grep -qx "ini_set=false" <<<"$body" || fail "ini_set() could change the system-level setting"
grep -q "^gc=-1|rustenc_gc(): rustenc: rustenc_gc() runs only from the command line .* not under the cli-server SAPI.*rustenc.allow_maintenance_in_web = 1" <<<"$body" ||
    fail "rustenc_gc() was not refused under php -S"
grep -q "^import=false|rustenc_import_files() runs only from the command line" <<<"$body" ||
    fail "rustenc_import_files() was not refused under php -S"
grep -qx "expired_left=yes" <<<"$body" || fail "gc removed a session although refused"
stop

echo "--- -d rustenc.allow_maintenance_in_web=1"
start -d rustenc.allow_maintenance_in_web=1
grep -qx "gc=1|" <<<"$body" || fail "rustenc_gc() did not run when allowed"
grep -qx "import=true|" <<<"$body" || fail "rustenc_import_files() did not run when allowed"
grep -qx "expired_left=no" <<<"$body" || fail "gc did not remove the expired session"
echo "PASS maintenance-web"
