<?php
// The page every HTTP cell requests: start the session (the pool chose the
// handler), make sure it holds ?size= bytes of payload, count the request,
// write it back. A failed session_start() answers 500, which wrk counts.
$size = (int) ($_GET['size'] ?? 1024);
if (!session_start()) {
    http_response_code(500);
    exit;
}
if (!isset($_SESSION['blob']) || strlen($_SESSION['blob']) !== $size) {
    $_SESSION['blob'] = substr(str_repeat(hash('sha512', "bench-$size"), intdiv($size, 128) + 1), 0, $size);
    $_SESSION['n'] = 0;
}
$_SESSION['n']++;
header('Content-Type: text/plain');
echo $_SESSION['n'], "\n";
