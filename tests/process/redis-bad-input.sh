#!/usr/bin/env bash
# Bad input for rustenc's Redis/Valkey store, from the PHP CLI, each refused
# with a clear warning (asserted by its text) that never shows the session id
# (more than 6 characters) or a password. Where the server is at fault, both
# for a new visitor (no id: create_sid) and a returning one (an id: strict
# mode's validate_sid), session_start() must return false with rustenc's
# warning (not throw PHP's "Failed to create session ID" Error):
#   * unreachable: a closed port (refused), a server that does not answer
#     (stopped with SIGSTOP; timeout=0.5&read_timeout=0.5: refused within 4 s;
#     each session hook of the request waits out the timeout again, so a
#     returning visitor, validated first, waits about 3 s);
#   * a server with requirepass: no password, a wrong one (env
#     RUSTENC_REDIS_PASSWORD); then the right one from the environment and
#     from rustenc.redis_password_file work, and `php -i` does not show it;
#   * a database number the server does not have;
#   * malformed save_paths (a port that is no number, database=x, a Sentinel
#     without service, an empty seed, a URL with a password in it: rustenc's
#     warning hides it; PHP's own "Failed to initialize storage module: rustenc
#     (path: ...)" shows session.save_path as it is, which is why a password
#     belongs in RUSTENC_REDIS_PASSWORD or rustenc.redis_password_file);
#   * a key holding something that is not a rustenc envelope, and a value
#     sealed for another session copied over a session's key: not served, the
#     request continues on a new, empty session (strict mode), and the key is
#     left as it was (not overwritten, not deleted).
# Env: RUSTENC_EXT, RUSTENC_REDIS_SERVER.
set -uo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
# shellcheck source=tests/stack/redis.sh
source "$(dirname "$0")/../stack/redis.sh"
stack_time_limit 120 "$@"
stack_init redis-bad-input
redis_init
password=pw-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
redis_start main
redis_start locked "requirepass $password"
redis_start hung
main=127.0.0.1:${REDIS_PORT[main]}
locked=127.0.0.1:${REDIS_PORT[locked]}
passed=0
failed=0
results=()

# The probe: session_start() (with an id if given), then store v=VALUE and
# close; prints JSON: start, the id it ended with, the data it read, close,
# and every warning raised.
cat >"$STACK_DIR/probe.php" <<'PHP'
<?php
$w = [];
set_error_handler(function (int $no, string $msg) use (&$w) { $w[] = $msg; return true; });
[, $id, $value] = $argv + [1 => '', 2 => ''];
if ($id !== '') {
    session_id($id);
}
$r = ['start' => session_start()];
$r['id'] = session_id();
$r['data'] = $_SESSION ?? null;
if ($r['start'] && $value !== '') {
    $_SESSION['v'] = $value;
    $r['close'] = session_write_close();
}
$r['warnings'] = implode(' / ', $w);
echo json_encode($r), "\n";
PHP

# probe SAVE_PATH [ID [VALUE [PHP-ARG...]]]: runs probe.php, output in $out,
# seconds taken in $took. The environment's RUSTENC_REDIS_PASSWORD is passed on.
probe() {
    local save_path=$1 id=${2:-} value=${3:-} t0
    shift 3 2>/dev/null || shift $#
    t0=$(date +%s%N)
    out=$(env RUSTENC_KEY="$RUSTENC_KEY" timeout 20 php -n -d extension="$STACK_EXT" \
        -d session.save_handler=rustenc -d session.save_path="\"$save_path\"" \
        -d session.use_strict_mode=1 -d session.use_cookies=0 -d session.cache_limiter= \
        -d rustenc.check_settings=0 -d display_errors=0 -d log_errors=0 "$@" \
        "$STACK_DIR/probe.php" "$id" "$value" 2>&1)
    took=$((($(date +%s%N) - t0) / 1000000))
}
field() { php -n -r '$r = json_decode($argv[1], true); $v = $r[$argv[2]] ?? null; echo is_scalar($v) ? var_export($v, true) : json_encode($v);' "$out" "$1"; }

# expect NAME REGEX [SECRET...]: session_start() failed, its warning matches
# REGEX (case-insensitive), and rustenc's messages show none of the SECRETs
# (PHP's own "(path: <session.save_path>)" is left out of that check).
expect() {
    local name=$1 re=$2 s msg ok=1 why=
    shift 2
    msg=$(field warnings | sed 's/(path: [^)]*)/(path: …)/g')
    [ "$(field start)" = false ] || { ok=0; why+=" session_start() did not fail;"; }
    grep -qiE -- "$re" <<<"$msg" || { ok=0; why+=" warning does not match /$re/;"; }
    for s in "$@"; do
        [ -n "$s" ] && [[ $msg == *"$s"* ]] && { ok=0; why+=" warning shows a secret (${s:0:3}...);"; }
    done
    report "$name" "$ok" "$why" "$msg"
}

# report NAME OK WHY MESSAGE
report() {
    if [ "$2" -eq 1 ]; then
        passed=$((passed + 1))
        echo "ok   $1 (${took} ms): ${4:0:300}"
    else
        failed=$((failed + 1))
        results+=("$1")
        echo "FAIL $1:$3"
        echo "     output: ${out:0:600}"
    fi
}

# A returning visitor's id (strict mode: validated first).
visitor=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')

# 1. Unreachable.
closed=$(redis_free_port)
for id in "" "$visitor"; do
    who=${id:+returning}
    probe "tcp://127.0.0.1:$closed?timeout=0.5" "$id" x
    expect "closed port, ${who:-new} visitor" "127\.0\.0\.1:$closed.*refused" "${id:0:7}"
    kill -STOP "${REDIS_PID[hung]}"
    probe "tcp://127.0.0.1:${REDIS_PORT[hung]}?timeout=0.5&read_timeout=0.5" "$id" x
    kill -CONT "${REDIS_PID[hung]}"
    expect "server that does not answer, ${who:-new} visitor" \
        "127\.0\.0\.1:${REDIS_PORT[hung]}.*(timed out|timeout)" "${id:0:7}"
    [ "$took" -lt 4000 ] || report "server that does not answer, ${who:-new} visitor, within 4 s" 0 " took $took ms" ""
done

# 2. Passwords.
wrong=pw-wrong-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
for id in "" "$visitor"; do
    who=${id:+returning}
    probe "tcp://$locked" "$id" x
    expect "no password for a server that requires one, ${who:-new} visitor" "$locked.*(NOAUTH|auth|password)" \
        "${id:0:7}"
    RUSTENC_REDIS_PASSWORD=$wrong probe "tcp://$locked" "$id" x
    expect "wrong password (environment), ${who:-new} visitor" "$locked.*(WRONGPASS|invalid|password|auth)" \
        "$wrong" "$password" "${id:0:7}"
done
install -m 0600 /dev/null "$STACK_DIR/password"
printf '%s\n' "$password" >"$STACK_DIR/password"
probe "tcp://$locked" "" x -d rustenc.redis_password_file="$STACK_DIR/password"
ok=1; [ "$(field start)" = true ] && [ "$(field close)" = true ] && [ "$(field warnings)" = "''" ] || ok=0
report "right password from rustenc.redis_password_file works" "$ok" "" ""
RUSTENC_REDIS_PASSWORD=$password probe "tcp://$locked" "" x
ok=1; [ "$(field start)" = true ] && [ "$(field close)" = true ] && [ "$(field warnings)" = "''" ] || ok=0
report "right password from RUSTENC_REDIS_PASSWORD works" "$ok" "" ""
info=$(env RUSTENC_KEY="$RUSTENC_KEY" RUSTENC_REDIS_PASSWORD="$password" php -n -d extension="$STACK_EXT" \
    -d session.save_handler=rustenc -d session.save_path="\"tcp://$locked\"" \
    -d rustenc.redis_password_file="$STACK_DIR/password" -i 2>&1)
ok=1; [[ $info == *"$password"* ]] && ok=0
[[ $info == *rustenc* ]] || ok=0
out=; took=0
report "php -i does not show the password" "$ok" " php -i shows it (or has no rustenc section)" ""

# 3. A database the server does not have (16 by default).
for id in "" "$visitor"; do
    who=${id:+returning}
    probe "tcp://$main?database=99" "$id" x
    expect "database 99 of 16, ${who:-new} visitor" "$main.*(DB index|database|out of range)" "${id:0:7}"
done

# 4. Malformed save_paths.
probe "tcp://127.0.0.1:notaport" "" x
expect "port that is no number" "not a valid Redis/Valkey address"
probe "tcp://$main?database=x" "" x
expect "database=x" "not a valid Redis/Valkey address.*database"
probe "sentinel://$main" "" x
expect "sentinel without service" "not a valid Redis/Valkey address.*service"
probe "seed[]=&prefix=x" "" x
expect "empty cluster seed" "not a valid Redis/Valkey address"
probe "redis://:$password@127.0.0.1:notaport" "" x
expect "URL with a password and a bad port" "not a valid Redis/Valkey address" "$password"

# 5. Values that are not this session's envelope.
save_path="tcp://$main?prefix=bad:&database=3"
new_key() { # the key that appeared since the list in $1
    comm -13 "$1" <(redis_cli main -n 3 --scan --pattern '*' | sort)
}
redis_cli main -n 3 --scan --pattern '*' | sort >"$STACK_DIR/keys0"
probe "$save_path" "" secret-x
idx=$(field id | tr -d "'")
redis_cli main -n 3 --scan --pattern '*' | sort >"$STACK_DIR/keys1"
kx=$(new_key "$STACK_DIR/keys0")
probe "$save_path" "" secret-y
idy=$(field id | tr -d "'")
ky=$(new_key "$STACK_DIR/keys1")
[ "$(wc -w <<<"$kx")" -eq 1 ] && [ "$(wc -w <<<"$ky")" -eq 1 ] ||
    stack_fail "expected one new key per session, got '$kx' and '$ky' (keys of 5.: $(redis_cli main -n 3 DBSIZE))"
probe "$save_path" "$idx"
[ "$(field data)" = '{"v":"secret-x"}' ] || stack_fail "session x does not read back: $out"

# Garbage in x's key: not served, a new session, the key left alone.
redis_cli main -n 3 SET "$kx" "this is not a rustenc envelope" KEEPTTL >/dev/null
probe "$save_path" "$idx" after
msg=$(field warnings)
ok=1 why=
[ "$(field data)" = '[]' ] || { ok=0; why+=" data served: $(field data);"; }
[ "$(field id | tr -d "'")" != "$idx" ] || { ok=0; why+=" the same id was kept (strict mode);"; }
grep -qiE 'cannot be read|not a rustenc|envelope|authentic' <<<"$msg" || { ok=0; why+=" no clear warning;"; }
[[ $msg == *"${idx:0:7}"* ]] && { ok=0; why+=" the warning shows 7+ characters of the id;"; }
[ "$(redis_cli main -n 3 GET "$kx")" = "this is not a rustenc envelope" ] || { ok=0; why+=" the key was changed;"; }
report "a key that is not a rustenc envelope" "$ok" "$why" "$msg"

# y's sealed value copied over x's key: bound to y's id, so it does not open as x.
redis_cli main -n 3 COPY "$ky" "$kx" REPLACE >/dev/null
probe "$save_path" "$idx" after
msg=$(field warnings)
ok=1 why=
[ "$(field data)" = '[]' ] || { ok=0; why+=" data served: $(field data);"; }
[ "$(field id | tr -d "'")" != "$idx" ] || { ok=0; why+=" the same id was kept (strict mode);"; }
grep -qiE 'cannot be read|authentic' <<<"$msg" || { ok=0; why+=" no clear warning;"; }
[[ $msg == *"${idx:0:7}"* || $msg == *"${idy:0:7}"* ]] && { ok=0; why+=" the warning shows 7+ characters of an id;"; }
[ "$(redis_cli main -n 3 GET "$kx" | md5sum)" = "$(redis_cli main -n 3 GET "$ky" | md5sum)" ] ||
    { ok=0; why+=" the key was changed;"; }
report "a value sealed for another session" "$ok" "$why" "$msg"
probe "$save_path" "$idy"
[ "$(field data)" = '{"v":"secret-y"}' ] || report "session y still reads" 0 " $(field data)" ""

summary="$REDIS_FLAVOUR: $passed cases refused (or accepted) as expected, $failed not${results[*]:+: ${results[*]}}"
if [ "$failed" -eq 0 ]; then
    echo "PASS redis-bad-input $summary"
    exit 0
fi
echo "FAIL redis-bad-input $summary"
exit 1
