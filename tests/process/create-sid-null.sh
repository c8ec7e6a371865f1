#!/usr/bin/env bash
# create_sid when PHP cannot make an id: php_session_create_id() returns NULL
# when the random source fails. rustenc must hand the NULL back (as
# mod_files.c does), so session_start() fails with PHP's own error; the
# code before issue 10 built a string from the NULL pointer and crashed.
#
# The random source is made to fail for the session id only: a seccomp
# filter answers getrandom(2) and read(2) of exactly the number of bytes
# PHP draws for an id of an unusual length (nothing else asks for as many) with an error, so PHP
# gets neither getrandom nor its /dev/urandom fallback. PHP itself still
# starts (libraries abort at startup without any randomness at all).
# Needs x86_64 (the filter's syscall numbers).
#
# Env: RUSTENC_EXT (librustenc.so; default target/release).
set -uo pipefail
cd "$(dirname "$0")/../.."
ext=${RUSTENC_EXT:-$PWD/target/release/librustenc.so}
fail() { echo "FAIL create-sid-null: $*"; exit 1; }
[ -f "$ext" ] || fail "extension not found: $ext"
[ "$(uname -m)" = x86_64 ] || fail "the seccomp filter is written for x86_64"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
install -d -m 0700 "$tmp/sessions"

# Installs the filter (no new privileges, as seccomp requires) and execs
# the rest of the command line.
cat >"$tmp/no-random.py" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
class Insn(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte),
                ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]
class Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Insn))]
LD, JEQ, RET = 0x20, 0x15, 0x06          # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_RET|K
NR, ARG1, ARG2 = 0, 24, 32               # offsets in struct seccomp_data (low words)
SYS_READ, SYS_GETRANDOM = 0, 318
ERRNO, ALLOW, ENOSYS, EIO = 0x00050000, 0x7fff0000, 38, 5
size = int(sys.argv[1])
insns = [
    (LD, 0, 0, NR),
    (JEQ, 0, 3, SYS_GETRANDOM),
    (LD, 0, 0, ARG1),
    (JEQ, 0, 5, size),
    (RET, 0, 0, ERRNO | ENOSYS),
    (JEQ, 0, 3, SYS_READ),
    (LD, 0, 0, ARG2),
    (JEQ, 0, 1, size),
    (RET, 0, 0, ERRNO | EIO),
    (RET, 0, 0, ALLOW),
]
prog = Prog(len(insns), (Insn * len(insns))(*[Insn(*i) for i in insns]))
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
   libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
    sys.exit("seccomp: " + os.strerror(ctypes.get_errno()))
os.execvp(sys.argv[2], sys.argv[2:])
PY

# PHP 8.2 and 8.3 draw sid_length + 60 random bytes for an id
# (PS_EXTRA_RAND_BYTES); PHP 8.4 and later draw sid_length bytes (seen with
# strace: getrandom(..., 211, 0)). Setting sid_length is deprecated there
# (a "Deprecated: PHP Startup" line), but still applies.
sid_length=211
if php -n -r 'exit(PHP_VERSION_ID >= 80400 ? 0 : 1);'; then
    id_bytes=$sid_length
else
    id_bytes=$((sid_length + 60))
fi
run_php() {
    RUSTENC_KEY=$(head -c 32 /dev/urandom | base64) \
        python3 "$tmp/no-random.py" "$id_bytes" \
        php -n -d extension="$ext" -d session.save_handler=rustenc \
        -d session.save_path="$tmp/sessions" -d session.use_cookies=0 \
        -d session.use_strict_mode=1 -d session.sid_length="$sid_length" \
        -d session.cache_limiter= -d display_errors=1 -d rustenc.check_settings=0 "$@"
}

# The environment itself: PHP's random_bytes() must fail in it.
out=$(run_php -r 'try { random_bytes('$id_bytes'); echo "random works"; } catch (Throwable $e) { echo get_class($e), ": ", $e->getMessage(); }' 2>&1)
case $out in
*"Could not gather sufficient random data"*) ;;
*) fail "the random source did not fail as intended: $out" ;;
esac

# PHP throws from inside create_sid (php_random_bytes_throw) and the hook
# gets NULL; the script catches the exception and goes on, as with files.
script='try { var_dump(session_start()); } catch (Random\RandomException $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; } echo "still running\n";'
out=$(run_php -r "$script" 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || fail "php exited with status $status (139 = a crash in create_sid)"
case $out in
*"RandomException: Could not gather sufficient random data"*"still running"*) ;;
*) fail "session_start() did not end with PHP's exception, or the script did not go on" ;;
esac
[ -z "$(ls -A "$tmp/sessions")" ] || fail "a session file was created"
echo "PASS create-sid-null: a NULL id from PHP is handed back, no crash"
