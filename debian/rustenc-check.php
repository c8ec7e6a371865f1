<?php
// Run by rustenc-check through php-fpm's FastCGI socket: the pool's own
// rustenc_check() report. Refuses requests a web server passes on (they carry
// REMOTE_ADDR), so mapping this file into a site by mistake shows nothing.
if (isset($_SERVER['REMOTE_ADDR']) || !function_exists('rustenc_check')) {
    http_response_code(isset($_SERVER['REMOTE_ADDR']) ? 403 : 500);
    echo function_exists('rustenc_check') ? "forbidden\n" : "rustenc is not loaded in this pool\n";
    exit;
}
$r = rustenc_check();
header('Content-Type: text/plain');
header('X-Rustenc-Status: ' . $r['status']);
echo "rustenc_check() in the php-fpm pool (status {$r['status']}: ",
    ['as recommended', 'BROKEN', 'works, settings weak'][$r['status']], ")\n";
print_r($r);
