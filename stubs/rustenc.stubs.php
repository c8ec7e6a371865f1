<?php

// Stubs for rustenc

namespace {
    /**
     * Checks everything a deployment needs for rustenc sessions to work, and
     * returns the verdicts as an array (never throws, never warns):
     *
     * - `ok`: true when sessions work here as configured (key, environment,
     *   save path, directory and probe are ok), whatever the session settings;
     * - `status`: 0 when sessions work and the settings are as recommended,
     *   1 when sessions do not work, 2 when they work but `settings.weak` is not
     *   empty (an exit code for scripts: `exit($r['status'])`);
     * - `version`: rustenc's version;
     * - `key`: `ok`, `id` (key id, never the key), `previous_ids`,
     *   `locked_in_memory`, `source` (where the keys in use were read, at
     *   startup), `configured` (what the settings in effect name), `error`
     *   (also when those two differ: a pool cannot choose its own key);
     * - `environment`: `ok`, `visible` (key variables this request can read),
     *   `error`;
     * - `save_path`: `ok`, `value`, `dir`, `depth`, `mode`, `error`;
     * - `directory`: `ok`, `owner`, `mode`, `error` (ownership and permissions;
     *   always ok for a Redis/Valkey save path);
     * - `store`: `kind` (`directory`, `redis (single server, TCP)`, `redis
     *   cluster`, `redis sentinel`, ...), and for Redis/Valkey `server` (never a
     *   password), `reachable`, `version` (`redis 7.0.15`), `lock_primitives`
     *   (native `DELIFEQ`/`DELEX` or scripted), `password` (where it comes
     *   from; in the save path is weak), `error`;
     * - `probe`: `ok`, `error` (create, lock, write, read back and delete a
     *   probe session, as two requests would);
     * - `settings`: `ok`, `weak` (the handler in use, strict mode, cookies-only,
     *   ids in URLs, id length where PHP does not deprecate it: what makes
     *   `status` 2), `advice` (cookie flags worth setting).
     *
     * ```sh
     * php -r '$r = rustenc_check(); print_r($r); exit($r["status"]);'
     * ```
     *
     * @return array
     */
    function rustenc_check(): array {}

    /**
     * Removes expired rustenc sessions, as the session engine's gc does, without
     * a session and without the key: for cron jobs and systemd timers on systems
     * where PHP's gc lottery is off (Debian's `session.gc_probability = 0`).
     *
     * Sessions not modified for `$maxlifetime` seconds (default:
     * `session.gc_maxlifetime`) are removed from `$save_path` (default:
     * `session.save_path`, same syntax), skipping sessions a request holds
     * locked; temporary files left by crashed writers are removed too, and
     * sessions set aside as unreadable once they are `$maxlifetime` old.
     *
     * Runs under the CLI only (unless `rustenc.allow_maintenance_in_web = 1`),
     * on a directory within `open_basedir`.
     *
     * With a Redis/Valkey save path it does nothing and returns 0: the server
     * expires sessions itself (each write sets the TTL).
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

    /**
     * Imports the sessions of PHP's `files` handler into rustenc, so switching
     * `session.save_handler` logs nobody out. Each `sess_<id>` below `$from`
     * (a `files` save path, `"N;/path"` allowed) is sealed for its id and
     * written atomically into `$to` (default: `session.save_path`), with the
     * right owner and mode and its original timestamp. Sessions already in
     * `$to` are skipped, so it can run again after the switch. A session a
     * request is using is imported once that request ends (bounded by
     * `rustenc.lock_timeout_ms`). The source is left untouched unless
     * `$remove_imported` is true.
     *
     * Only files owned by the user the sessions in `$to` belong to (this
     * process's user, or as root the directory's owner) are imported, and none
     * dated more than 5 minutes in the future: anyone can create files in a
     * shared `files` directory. Runs under the CLI only (unless
     * `rustenc.allow_maintenance_in_web = 1`); both directories must be within
     * `open_basedir`.
     *
     * Returns `['ok' => bool, 'imported' => int, 'skipped' => int,
     * 'failed' => int, 'errors' => [string, ...]]`.
     *
     * ```sh
     * php -r '$r = rustenc_import_files("/var/lib/php/sessions"); print_r($r); exit($r["ok"] ? 0 : 1);'
     * ```
     *
     * @param string $from
     * @param string|null $to
     * @param bool|null $remove_imported
     * @return array
     */
    function rustenc_import_files(string $from, ?string $to = null, ?bool $remove_imported = null): array {}
}
