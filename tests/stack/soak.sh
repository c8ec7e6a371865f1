#!/usr/bin/env bash
# Soak: wrk against the test stack (nginx -> php-fpm, 4 workers -> rustenc)
# for SOAK_SECONDS (600), 8 connections, one session each, mixed session sizes
# (70% 1 KiB, 20% 16 KiB, 10% 128 KiB, 0.5% 512 KiB), a new session every 500
# requests per connection. Every answer is checked (tests/stack/soak.lua):
# the session's counter goes up by exactly one and its previous payload is
# whole. Also reports php-fpm worker memory (RSS) and open fds at the start
# and the end, temporary files left, and PHP warnings.
# Not part of scripts/test (it takes 10 minutes). Needs wrk (installed if missing).
#   tests/stack/soak.sh                  # 10 minutes
#   SOAK_SECONDS=60 tests/stack/soak.sh  # a short one
set -uo pipefail
seconds=${SOAK_SECONDS:-600}
connections=${SOAK_CONNECTIONS:-8}
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/lib.sh"
stack_time_limit $((seconds + 180)) "$@"
if ! command -v wrk >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || stack_fail "cannot install wrk"
fi
stack_init soak
stack_pool rustenc rustenc
stack_start
dir=${STACK_POOL_DIR[rustenc]}

workers_mem() { # "rss_kb_total fds_total"
    local pid rss=0 fds=0 r
    for pid in $(stack_workers rustenc); do
        r=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
        rss=$((rss + ${r:-0}))
        fds=$((fds + $(ls "/proc/$pid/fd" 2>/dev/null | wc -l)))
    done
    echo "$rss $fds"
}

# Warm up (every worker has served big sessions), then measure.
wrk -t "$connections" -c "$connections" -d 10s --timeout 30s -s "$STACK_ROOT/tests/stack/soak.lua" \
    "$(stack_url rustenc soak)" >/dev/null
read -r rss0 fds0 < <(workers_mem)
stack_log "soak: $seconds s, $connections connections; workers: ${rss0} KiB RSS, $fds0 fds"
wrk -t "$connections" -c "$connections" -d "${seconds}s" --timeout 30s --latency \
    -s "$STACK_ROOT/tests/stack/soak.lua" "$(stack_url rustenc soak)" >"$STACK_DIR/wrk.out" 2>&1
read -r rss1 fds1 < <(workers_mem)
soak=$(grep '^SOAK' "$STACK_DIR/wrk.out")
temps=$(find "$dir" -maxdepth 1 -name 'rustenc_tmp.*' | wc -l)
files=$(find "$dir" -maxdepth 1 -name 'rustenc_*' | wc -l)
problems=$(stack_php_problems rustenc | wc -l)
workers=$(stack_workers rustenc | wc -l)
result="${soak#SOAK }; workers=$workers RSS ${rss0}->${rss1} KiB, fds ${fds0}->${fds1};"
result+=" session files=$files, temp files left=$temps; php warnings=$problems"
if [[ $soak == *" socket_errors=0 non200=0 wrong_count=0 torn=0 "* ]] && [ "$temps" -eq 0 ] &&
    [ "$problems" -eq 0 ] && [ "$fds1" -le "$fds0" ]; then
    echo "PASS soak: $result"
    exit 0
fi
cat "$STACK_DIR/wrk.out"
stack_php_problems rustenc | head -5
echo "FAIL soak: $result"
exit 1
