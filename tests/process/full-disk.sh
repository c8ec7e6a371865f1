#!/usr/bin/env bash
# Full disk, through nginx -> php-fpm (4 workers) -> rustenc, with the session
# directory on its own small tmpfs (mount -t tmpfs -o size=8m; unmounted at
# the end):
#   1. a session holding 256 KiB ("A"), in a slot file laid out for it (two
#      slots of ~514 KiB, written out: docs/FORMAT.md);
#   2. the file system filled up (dd until ENOSPC);
#   3. a request writing another 256 KiB ("C"): it fits a slot, whose blocks
#      exist, so it succeeds on the full disk, and reads back;
#   4. a request writing 768 KiB ("B"), more than a slot holds, so the file
#      must be laid out anew: the write fails with a rustenc warning naming
#      the cause (and no whole session id); the app answers 500 (PHP 8.2's
#      session_write_close() still returns true after a failed write, so the
#      app looks at the warnings);
#   5. the previous session is intact (C, 256 KiB) and no temporary file is left;
#   6. space freed: the same request succeeds and the session reads B.
# The same sequence runs against PHP's files handler on its own tmpfs, for
# comparison only (it truncates before writing: reported, not asserted).
# Needs root (mount); prints SKIP and exits 77 (skipped) otherwise.
# Env: RUSTENC_EXT.
set -uo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "$0")/../stack/lib.sh"
stack_time_limit 120 "$@"
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP full-disk: needs root to mount a tmpfs"
    exit 77
fi
stack_init full-disk

for pool in rustenc files; do
    mnt=$STACK_DIR/disk-$pool
    mkdir -p "$mnt"
    mount -t tmpfs -o "size=8m,mode=0700,uid=$(id -u "$STACK_USER"),gid=$(id -g "$STACK_USER")" \
        "rustenc-test-$pool" "$mnt" || stack_fail "mount -t tmpfs $mnt"
    stack_on_cleanup "umount '$mnt' 2>/dev/null || umount -l '$mnt'"
    stack_pool "$pool" "$pool" "$mnt"
done
stack_start

# req POOL SID ACTION -> "status x-write x-tag x-payload | x-error"
req() {
    curl -sS --max-time 60 -o /dev/null ${2:+-H "Cookie: PHPSESSID=$2"} \
        -w '%{http_code} %header{x-write} %header{x-tag} %header{x-payload} | %header{x-error}\n' \
        "$(stack_url "$1" "$3")"
}

fill() { # MOUNT: fill it up to the last page
    dd if=/dev/zero of="$1/filler" bs=64k status=none 2>/dev/null
    dd if=/dev/zero of="$1/filler2" bs=4k status=none 2>/dev/null
    sync
}

status=0
for pool in rustenc files; do
    mnt=${STACK_POOL_DIR[$pool]}
    sid=$(curl -sS --max-time 60 -o /dev/null -c - "$(stack_url "$pool" 'set?size=262144&tag=A')" |
        awk '$6 == "PHPSESSID" { print $7 }')
    before=$(req "$pool" "$sid" peek)
    fill "$mnt"
    free_kb=$(df -k --output=avail "$mnt" | tail -1 | tr -d ' ')
    fits_write=$(req "$pool" "$sid" 'set?size=262144&tag=C')
    fits_read=$(req "$pool" "$sid" peek)
    full_write=$(req "$pool" "$sid" 'set?size=786432&tag=B')
    while_full=$(req "$pool" "$sid" peek)
    temps=$(find "$mnt" -maxdepth 1 -name 'rustenc_tmp.*' | wc -l)
    rm -f "$mnt/filler" "$mnt/filler2"
    freed_write=$(req "$pool" "$sid" 'set?size=786432&tag=B')
    after=$(req "$pool" "$sid" peek)
    echo "$pool: before: $before; free after fill: ${free_kb} KiB; write that fits when full: $fits_write," \
        "then read: $fits_read; larger write when full: $full_write;" \
        "read when full: $while_full; temp files: $temps; write after freeing: $freed_write; read: $after"
    if [ "$pool" = rustenc ]; then
        warning=$(grep -c 'rustenc:.*No space left on device' "$STACK_DIR/php-$pool.log")
        leaks_id=$(grep -c "$sid" "$STACK_DIR/php-$pool.log")
        others=$(stack_php_problems "$pool" |
            grep -vEc 'No space left on device|Failed to write session data \(rustenc\)')
        line="full disk: a write that fits its slots ${fits_write%% |*}, read ${fits_read%% |*};"
        line+=" a larger write refused (${full_write%% / *}), warning logged=$warning (whole id in log: $leaks_id),"
        line+=" previous session intact: ${while_full%% |*}, temp files=$temps;"
        line+=" after freeing: write ${freed_write%% |*}, read ${after%% |*}; other warnings=$others"
        if [[ $before == "200  A 262144 ok |"* && $free_kb -eq 0 &&
            $fits_write == "200 ok "* && $fits_read == "200  C 262144 ok |"* &&
            $full_write == "500 failed "* && $warning -ge 1 && $leaks_id -eq 0 &&
            $while_full == "200  C 262144 ok |"* && $temps -eq 0 &&
            $freed_write == "200 ok "* && $after == "200  B 786432 ok |"* && $others -eq 0 ]]; then
            echo "PASS full-disk rustenc: $line"
        else
            echo "FAIL full-disk rustenc: $line"
            status=1
        fi
    else
        echo "(files, for comparison, not asserted: write that fits when full: $fits_write;" \
            "read when full: $while_full; after freeing: $after)"
    fi
done
exit "$status"
