<?php

// Stubs for rustenc

namespace {
    /**
     * Removes expired rustenc sessions, as the session engine's gc does, without
     * a session and without the key: for cron jobs and systemd timers on systems
     * where PHP's gc lottery is off (Debian's `session.gc_probability = 0`).
     *
     * Sessions not modified for `$maxlifetime` seconds (default:
     * `session.gc_maxlifetime`) are removed from `$save_path` (default:
     * `session.save_path`, same syntax), skipping sessions a request holds
     * locked; temporary files left by crashed writers are removed too.
     *
     * Returns the number of sessions removed, or -1 with a warning when the
     * directory cannot be used (the warning says why and how to fix it).
     *
     * ```sh
     * php -d extension=rustenc.so -r 'exit(rustenc_gc() >= 0 ? 0 : 1);'
     * ```
     *
     * @param string|null $save_path
     * @param int|null $maxlifetime
     * @return int
     */
    function rustenc_gc(?string $save_path = null, ?int $maxlifetime = null): int {}
}
