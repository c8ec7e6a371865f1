--TEST--
A session file holding random bytes or a wrong magic is reported as "not a rustenc file" and left unchanged
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup('074');
$id = 'garbage074';
$file = rustenc_file($dir, $id);
session_id($id);
session_start();
$_SESSION['user'] = 'alice';
session_write_close();
$good = file_get_contents($file);

foreach ([
    "\xff" . random_bytes(99),   // long junk
    "\x00junk",                  // short junk
    'RENX' . substr($good, 4),   // right length, wrong magic
    'renc' . substr($good, 4),   // magic is case-sensitive
] as $bytes) {
    file_put_contents($file, $bytes);
    $_SESSION = [];
    session_id($id);
    var_dump(session_start());
    var_dump($_SESSION);
    clearstatcache();
    var_dump(file_get_contents($file) === $bytes);
}
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup('074');
?>
--EXPECTF--
Warning: session_start(): rustenc: session garbag… cannot be read: not a rustenc file (plaintext or another handler's data); the file was left untouched in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-074) in %s on line %d
bool(false)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session garbag… cannot be read: not a rustenc file (plaintext or another handler's data); the file was left untouched in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-074) in %s on line %d
bool(false)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session garbag… cannot be read: not a rustenc file (plaintext or another handler's data); the file was left untouched in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-074) in %s on line %d
bool(false)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session garbag… cannot be read: not a rustenc file (plaintext or another handler's data); the file was left untouched in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-074) in %s on line %d
bool(false)
array(0) {
}
bool(true)
