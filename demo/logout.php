<?php
/* Log out: empty the session, delete its file and its cookie. */
declare(strict_types=1);
require __DIR__ . '/lib.php';

demo_start();
demo_check_post();
$_SESSION = [];
$p = session_get_cookie_params();
setcookie(session_name(), '', [
    'expires' => 1,
    'path' => $p['path'],
    'domain' => $p['domain'],
    'secure' => $p['secure'],
    'httponly' => $p['httponly'],
    'samesite' => $p['samesite'],
]);
session_destroy();
demo_redirect();
