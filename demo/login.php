<?php
/* Log in: a name, no password. A new session id on login (session fixation). */
declare(strict_types=1);
require __DIR__ . '/lib.php';

demo_start();
demo_check_post();
// Up to 40 characters of valid UTF-8 (no mbstring needed).
$name = trim((string)($_POST['name'] ?? ''));
if (preg_match('/^.{1,40}/us', $name, $m)) {
    // true: the file of the old id is deleted, not left behind.
    session_regenerate_id(true);
    $_SESSION['user'] = $m[0];
    $_SESSION['logged_in_at'] = date('c');
}
demo_redirect();
