# shellcheck shell=bash
# The test command's bookkeeping, in one place (sourced by scripts/test and
# by anything that runs a leg of it, e.g. another PHP version in a chroot).
#
# Every test ends in exactly one of four states:
#   passed   ran and did what it asserts;
#   failed   did not (a cargo exit code, a BORK, a crash, a missing count ...);
#   skipped  did not run here (named, with its reason);
#   flaky    failed its first try and passed on run-tests.php's automatic
#            retry ("warned"): reported by name and treated as a failure by
#            the exit status.
# A skip whose reason says the test needs root is a failure when the suite
# runs as root (as CI does): there, nothing may skip for want of root.
#
# The closing line (count_closing_line) is
#   N passed, N failed, N skipped, N flaky[ | failed: A B | skipped: C D | flaky: E]
# Its first part is what CI reads; count_add_leg adds another run's closing
# line to this one, names prefixed with the leg's name, e.g. for the suite
# run again under another PHP in a chroot:
#   count_add_leg php8.4 "$(tail -n 1 "$log/php8.4.log")"

count_passed=0
count_failed=0
count_skipped=0
count_flaky=0
count_failed_names=()
count_skipped_names=()
count_flaky_names=()

# Names go into a space-separated list: spaces inside a name become '_'.
count_name_() { printf '%s' "${1// /_}"; }

count_pass() { count_passed=$((count_passed + ${1:-1})); }
count_fail() {
    count_failed=$((count_failed + 1))
    count_failed_names+=("$(count_name_ "$1")")
}
count_flaky() {
    count_flaky=$((count_flaky + 1))
    count_flaky_names+=("$(count_name_ "$1")")
}
# count_skip NAME REASON: a skip, or a failure if REASON asks for root and we
# are root.
count_skip() {
    if [ "$(id -u)" -eq 0 ] && [[ ${2:-} == *root* ]]; then
        echo "FAIL $1 skipped although running as root: ${2:-}"
        count_fail "$1"
        return
    fi
    echo "SKIP $1${2:+: $2}"
    count_skipped=$((count_skipped + 1))
    count_skipped_names+=("$(count_name_ "$1")")
}

count_closing_line() {
    local line="$count_passed passed, $count_failed failed, $count_skipped skipped, $count_flaky flaky"
    [ "$count_failed" -eq 0 ] || line+=" | failed: ${count_failed_names[*]}"
    [ "$count_skipped" -eq 0 ] || line+=" | skipped: ${count_skipped_names[*]}"
    [ "$count_flaky" -eq 0 ] || line+=" | flaky: ${count_flaky_names[*]}"
    echo "$line"
}

# 0 only when nothing failed and nothing needed a retry.
count_status() { [ "$count_failed" -eq 0 ] && [ "$count_flaky" -eq 0 ]; }

# count_add_leg LEG LINE: adds a leg's closing line (a missing or malformed
# one is a failure of that leg).
count_add_leg() {
    local leg=$1 line=$2 re='^([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped, ([0-9]+) flaky'
    if ! [[ $line =~ $re ]]; then
        count_fail "$leg:no-closing-line"
        return
    fi
    count_passed=$((count_passed + BASH_REMATCH[1]))
    count_failed=$((count_failed + BASH_REMATCH[2]))
    count_skipped=$((count_skipped + BASH_REMATCH[3]))
    count_flaky=$((count_flaky + BASH_REMATCH[4]))
    local part kind name
    IFS='|' read -ra parts <<<"${line#*flaky}"
    for part in "${parts[@]}"; do
        kind=${part%%:*}
        kind=${kind// /}
        for name in ${part#*:}; do
            case $kind in
            failed) count_failed_names+=("$leg:$name") ;;
            skipped) count_skipped_names+=("$leg:$name") ;;
            flaky) count_flaky_names+=("$leg:$name") ;;
            esac
        done
    done
}

# count_cargo LOG STATUS: counts a `cargo test` log (run without --quiet) and
# its exit status. Each test binary's own "test result" line is the last one
# of its section ("Running …" / "Doc-tests …"): a test that runs the test
# binary as a child and shows the child's output in a failure message must
# not add the child's counts. A non-zero exit with no failed test counted is
# a failure of its own.
count_cargo() {
    local log=$1 status=$2 p f kind name reason named=0
    read -r p f < <(awk '
        /^ *(Running|Doc-tests) / { if (have) { P += p; F += f }; have = 0; next }
        /^test result:/ {
            have = 1; p = 0; f = 0
            for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p = $(i-1) + 0; if ($i ~ /^failed/) f = $(i-1) + 0 }
        }
        END { if (have) { P += p; F += f }; print P + 0, F + 0 }' "$log")
    count_pass "$p"
    # Names of failed and ignored tests come from the harness's own
    # "test NAME ... RESULT" lines, not from captured output shown under
    # "failures:".
    while read -r kind name reason; do
        case $kind in
        FAILED) count_fail "cargo:$name"; named=$((named + 1)) ;;
        ignored) count_skip "cargo:$name" "$reason" ;;
        esac
    done < <(awk '
        /^ *(Running|Doc-tests) / { inside = 0 }
        /^failures:$/ { inside = 1 }
        !inside && /^test .* \.\.\. (FAILED|ignored)/ {
            name = $2; sub(/^test .* \.\.\. /, "")
            kind = $0; reason = ""
            if (kind ~ /^ignored, /) { reason = substr(kind, 10); kind = "ignored" }
            print kind, name, reason
        }' "$log")
    # Failures the harness counted but did not name (should not happen).
    while [ "$named" -lt "$f" ]; do
        count_fail "cargo:unnamed-failure"
        named=$((named + 1))
    done
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        count_fail "cargo-test-exit-$status"
    fi
}

# count_process NAME STATUS LOG: a process test: exit 0 passed, 77 skipped
# (its reason is the log's "SKIP …" line), anything else failed. A pass shows
# the start of the test's own PASS line (what it measured, e.g. which Redis
# or Valkey the redis-* tests ran against).
count_process() {
    local name=$1 status=$2 log=$3 said
    case $status in
    0)
        said=$(grep -m1 '^PASS ' "$log" | cut -d' ' -f3- | cut -c1-110)
        echo "PASS $name${said:+: $said}"
        count_pass
        ;;
    77) count_skip "$name" "$(grep -m1 -o 'SKIP.*' "$log" | sed 's/^SKIP [^:]*: //')" ;;
    *) echo "FAIL $name (exit $status)"; tail -15 "$log"; count_fail "$name" ;;
    esac
}
