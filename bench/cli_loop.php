<?php
// One CLI benchmark cell: N iterations of
//   session_id(<one of many ids>) -> session_start() -> [modify] -> session_write_close()
// with whatever session.save_handler the command line configured.
//
// usage: php cli_loop.php SIZE ITERATIONS IDS MODE
//   SIZE        bytes of session payload (the serialized session is ~SIZE+40)
//   ITERATIONS  timed iterations
//   IDS         how many distinct sessions the iterations cycle through
//   MODE        write: increment a counter (data changes, full write)
//               read:  leave the data alone (lazy_write: update_timestamp)
// The sessions are created (ids issued by the handler, so this works with
// session.use_strict_mode=1) and filled before the timed loop. Prints one
// JSON line.
// With BENCH_MARK=1, iteration ITERATIONS/2 is bracketed by stat() calls on
// /bench-mark-begin and /bench-mark-end, so a syscall trace can show exactly
// one iteration.

[$size, $iters, $nids, $mode] = [(int) $argv[1], (int) $argv[2], (int) $argv[3], $argv[4]];
if ($size < 0 || $iters < 1 || $nids < 1 || !in_array($mode, ['write', 'read'], true)) {
    fwrite(STDERR, "usage: cli_loop.php SIZE ITERATIONS IDS write|read\n");
    exit(2);
}
ini_set('session.use_cookies', '0');
ini_set('session.cache_limiter', '');

// Incompressible-looking, but deterministic, payload.
$payload = substr(str_repeat(hash('sha512', "bench-$size"), intdiv($size, 128) + 1), 0, $size);

function start(string $id): void
{
    session_id($id);   // '' = let the handler issue a new id
    if (!session_start()) {
        $e = error_get_last();
        fwrite(STDERR, "session_start() failed: " . ($e['message'] ?? '?') . "\n");
        exit(1);
    }
}

// Create and fill every session (not timed).
$ids = [];
for ($i = 0; $i < $nids; $i++) {
    start('');
    $ids[] = session_id();
    $_SESSION['blob'] = $payload;
    $_SESSION['n'] = 0;
    session_write_close();
}

$mark = getenv('BENCH_MARK') === '1';
$markAt = intdiv($iters, 2);
$sum = 0;
// usleep(0) brackets the timed loop: callgrind runs with --dump-before=usleep
// so that its second dump holds exactly the timed iterations.
usleep(0);
$t0 = hrtime(true);
for ($i = 0; $i < $iters; $i++) {
    if ($mark && $i === $markAt) {
        @stat('/bench-mark-begin');
    }
    start($ids[$i % $nids]);
    if ($mode === 'write') {
        $_SESSION['n']++;
    } else {
        $sum += $_SESSION['n'];
    }
    session_write_close();
    if ($mark && $i === $markAt) {
        @stat('/bench-mark-end');
    }
}
$elapsed = hrtime(true) - $t0;
usleep(0);

// Check that the loop did what it claims.
start($ids[0]);
$expect = $mode === 'write' ? intdiv($iters - 1, $nids) + 1 : 0;
$ok = ($_SESSION['blob'] ?? null) === $payload && ($_SESSION['n'] ?? null) === $expect;
session_write_close();
if (!$ok) {
    fwrite(STDERR, "verification failed: n=" . var_export($_SESSION['n'] ?? null, true) . " expected $expect\n");
    exit(1);
}

// Remove the sessions (not timed), so cells do not pile up data.
if (getenv('BENCH_KEEP_SESSIONS') !== '1') {
    foreach ($ids as $id) {
        start($id);
        session_destroy();
    }
}

echo json_encode([
    'ns_per_iter' => $elapsed / $iters,
    'iters' => $iters,
    'handler' => ini_get('session.save_handler'),
    'size' => $size,
    'mode' => $mode,
]), "\n";
