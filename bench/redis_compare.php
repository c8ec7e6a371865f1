<?php
// One request of bench/run's "compare" phase, with whatever session handler
// the command line configured: open session ID, wait SLEEP seconds (holding
// the session, as a slow request does), count, mark it as written by WHO,
// close. Prints one JSON line: did session_start() succeed, how long it took,
// what the session held, and every message PHP raised (the handler's
// warnings and notices), so two handlers can be compared on what a user and
// an operator would notice.
// usage: php redis_compare.php ID SLEEP WHO   (ID '': a new visitor, the
// handler makes the id)
[$id, $sleep, $who] = [$argv[1], (float) $argv[2], $argv[3]];
ini_set('session.use_cookies', '0');
ini_set('session.cache_limiter', '');
$messages = [];
set_error_handler(function (int $no, string $msg) use (&$messages): bool {
    // The path of this script says nothing; the handler's words do.
    $messages[] = preg_replace('/^session_[a-z_]+\(\): /', '', $msg);
    return true;
});
if ($id !== '') {
    session_id($id);
}
$t0 = hrtime(true);
try {
    $started = session_start();
} catch (Throwable $e) {
    // PHP 8 throws when the handler cannot make a session id.
    $started = 'threw ' . get_class($e);
    $messages[] = $e->getMessage();
}
$startMs = (hrtime(true) - $t0) / 1e6;
$before = $_SESSION ?? null;
$written = null;
if ($started === true) {
    usleep((int) ($sleep * 1e6));
    $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
    $_SESSION['who'] = $who;
    $written = session_write_close();
}
echo json_encode([
    'who' => $who,
    'started' => $started,
    'start_ms' => round($startMs, 1),
    'read' => $before,
    'write_returned' => $written,
    'messages' => $messages,
], JSON_UNESCAPED_SLASHES), "\n";
