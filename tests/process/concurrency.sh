#!/usr/bin/env bash
# Concurrency: 200 requests on one session, 8 at a time, through `php -S`
# with 4 worker processes, must count to exactly 200 with no failed request.
# Without the lock held from read to close, parallel requests read the same
# count and overwrite each other's increments, so the total comes out lower.
#
# It runs twice: with session.use_strict_mode=1 (validate_sid before read, as
# in production) and =0 (read only), since the two take different paths.
# The session directory is made under target/ rather than /tmp, which is
# often tmpfs: a disk file system such as ext4 reuses a freed inode number at
# once, a case the locking must get right.
#
# Env: RUSTENC_EXT (librustenc.so; default target/release), REQUESTS (200),
#      PARALLEL (8), RUSTENC_TEST_TMP (where to make the temporary directory).
# Talks only to 127.0.0.1; kills its server and removes its files on exit.
set -uo pipefail
# Hard limit for the whole test: on expiry this script and its clients get
# SIGTERM (timeout signals its process group) and the EXIT trap stops the
# server and removes the directory.
[ -n "${RUSTENC_CONCURRENCY_LIMITED:-}" ] ||
    exec timeout -k 5 55 env RUSTENC_CONCURRENCY_LIMITED=1 bash "$0" "$@"
cd "$(dirname "$0")/../.."

ext=${RUSTENC_EXT:-$PWD/target/release/librustenc.so}
requests=${REQUESTS:-200}
parallel=${PARALLEL:-8}
unset SID

fail() { echo "FAIL concurrency: $*"; exit 1; }
[ -f "$ext" ] || fail "extension not found: $ext (build with cargo build --release)"

base=${RUSTENC_TEST_TMP:-$PWD/target}
mkdir -p "$base" && tmp=$(mktemp -d "$base/concurrency.XXXXXX") || fail "cannot make a directory in $base"
server_pid=
# The server runs in its own process group (set -m) whose id is its pid:
# killing the group stops its worker processes too, which killing the
# parent alone would leave running.
stop_server() {
    if [ -n "$server_pid" ]; then
        kill -- -"$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
        server_pid=
    fi
}
trap 'trap "" INT TERM; stop_server; rm -rf "$tmp"' EXIT
trap 'trap "" INT TERM; echo "FAIL concurrency: interrupted, or over the 55 s limit"; exit 1' INT TERM

# The app: one increment per request, with a pause while the session is open
# to widen the race window. "?peek" reads without writing (read_and_close).
# A failed session_start/session_write_close becomes a 500.
mkdir "$tmp/docroot"
cat >"$tmp/router.php" <<'PHP'
<?php
if (isset($_GET['peek'])) {
    if (!session_start(['read_and_close' => true])) { http_response_code(500); exit; }
    echo $_SESSION['n'] ?? 0;
    return;
}
if (!session_start()) { http_response_code(500); exit; }
$_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
usleep(2000);
$n = $_SESSION['n'];
if (!session_write_close()) { http_response_code(500); exit; }
echo $n;
PHP

# The client: one GET, printed as "<status> <body>" on one line ("000 ..." if
# the request itself failed). "--sid" prints the session id the response set
# instead of the body. Plain PHP, so curl is not needed.
cat >"$tmp/get.php" <<'PHP'
<?php
[, $port, $path] = $argv;
$cookie = getenv('SID') ? "Cookie: PHPSESSID=" . getenv('SID') . "\r\n" : '';
$s = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
if (!$s) { echo "000 connect: $errstr\n"; exit(1); }
stream_set_timeout($s, 12);
fwrite($s, "GET $path HTTP/1.0\r\nHost: 127.0.0.1\r\n{$cookie}Connection: close\r\n\r\n");
$response = stream_get_contents($s);
if (stream_get_meta_data($s)['timed_out']) { echo "000 timeout\n"; exit(1); }
[$head, $body] = explode("\r\n\r\n", $response, 2) + [1 => ''];
$code = preg_match('#^HTTP/1\.[01] (\d{3})#', $head, $m) ? $m[1] : '000';
if (in_array('--sid', $argv, true)) {
    $body = preg_match('/^Set-Cookie: PHPSESSID=([^;\r\n]+)/mi', $head, $m) ? $m[1] : '';
}
// One write per line, so parallel clients sharing stdout never interleave.
echo $code . ' ' . str_replace(["\r", "\n"], ' ', $body) . "\n";
PHP

key=${RUSTENC_KEY:-$(head -c 32 /dev/urandom | base64)}

free_port() {
    php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0", $e, $m) or exit(1);
               echo explode(":", stream_socket_get_name($s, false))[1];'
}

# The handler under test: rustenc; or, with CONCURRENCY_HANDLER=userland (a
# demonstration for docs/RELIABILITY.md, not part of the test command), the
# benchmark's userland AES handler, which locks each read and each write but
# not the request in between, as most userland handlers do: it loses updates.
if [ "${CONCURRENCY_HANDLER:-rustenc}" = userland ]; then
    # (auto_prepend_file does not apply to php -S's router script)
    sed -i "1a require '$PWD/bench/userland_aes_handler.php';" "$tmp/router.php"
    handler_args=()
else
    handler_args=(-d extension="$ext" -d session.save_handler=rustenc)
fi

# start_server STRICT: php -S on a free port (retried if another process
# takes the port first), with a fresh 0700 session directory.
start_server() {
    sessions=$tmp/sessions-$1
    mkdir -m 0700 "$sessions" || fail "mkdir $sessions"
    for _ in 1 2 3 4 5; do
        port=$(free_port) || fail "no free port"
        set -m
        RUSTENC_KEY=$key USERLAND_SESSION_KEY=$key PHP_CLI_SERVER_WORKERS=4 php -n \
            "${handler_args[@]}" \
            -d session.save_path="$sessions" \
            -d session.use_strict_mode="$1" \
            -d session.gc_probability=0 \
            -d display_errors=0 -d log_errors=1 \
            -S "127.0.0.1:$port" -t "$tmp/docroot" "$tmp/router.php" >"$tmp/server.log" 2>&1 &
        server_pid=$!
        set +m
        for _ in $(seq 50); do
            kill -0 "$server_pid" 2>/dev/null || break
            php -n -r 'exit(@fsockopen("127.0.0.1", (int)$argv[1], $e, $m, 1) ? 0 : 1);' "$port" && return 0
            sleep 0.1
        done
        stop_server
    done
    cat "$tmp/server.log"
    fail "php -S did not start"
}

get() { timeout --foreground 15 php -n "$tmp/get.php" "$port" "$@"; }

# run STRICT: one full round; prints a PASS line or the evidence and a FAIL
# line, and returns non-zero on failure.
run() {
    local strict=$1 start=$SECONDS code sid
    start_server "$strict"
    echo "strict_mode=$strict: php -S 127.0.0.1:$port, 4 workers, pid $server_pid, sessions in $sessions"

    # First request (1 of $requests): creates the session, gives us its id.
    read -r code sid < <(get / --sid)
    if [ "${code:-}" != 200 ] || [ -z "${sid:-}" ]; then
        cat "$tmp/server.log"
        stop_server
        echo "FAIL concurrency strict_mode=$strict: first request: status ${code:-none}, session id '${sid:-}'"
        return 1
    fi

    # The other $requests - 1, $parallel at a time.
    seq 2 "$requests" | SID=$sid timeout --foreground 30 xargs -P "$parallel" -I{} \
        timeout --foreground 15 php -n "$tmp/get.php" "$port" '/?i={}' >"$tmp/responses"
    local sent=$((requests - 1)) got bad distinct final final_code final_n warnings
    got=$(wc -l <"$tmp/responses")
    bad=$(( $(awk '$1 != 200' "$tmp/responses" | wc -l) + sent - got ))
    # With the lock, every request sees a distinct count 2..$requests.
    distinct=$(awk '$1 == 200 { print $2 }' "$tmp/responses" | sort -un | wc -l)

    final=$(SID=$sid get '/?peek=1')
    final_code=${final%% *}
    final_n=${final#* }
    stop_server
    warnings=$(grep -ciE 'warning|fatal|error' "$tmp/server.log")

    local result="strict_mode=$strict requests=$requests parallel=$parallel final=$final_n"
    result+=" (status $final_code) non-200=$bad distinct=$distinct/$sent warnings=$warnings"
    result+=" time=$((SECONDS - start))s"
    if [ "$final_code" = 200 ] && [ "$final_n" = "$requests" ] && [ "$bad" -eq 0 ] \
        && [ "$distinct" -eq "$sent" ] && [ "$warnings" -eq 0 ]; then
        echo "PASS concurrency: $result"
        return 0
    fi
    echo "--- non-200 responses (first 10):"
    awk '$1 != 200' "$tmp/responses" | head -10
    echo "--- PHP messages in the server log (first 10):"
    grep -iE 'warning|fatal|error' "$tmp/server.log" | head -10
    echo "FAIL concurrency: $result (expected final=$requests, non-200=0, distinct=$sent, warnings=0)"
    return 1
}

status=0
run 1 || status=1
run 0 || status=1
exit "$status"
