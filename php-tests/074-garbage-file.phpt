--TEST--
A session file holding random bytes or a wrong magic is reported as "not a rustenc file" and set aside unchanged
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
$dir = rustenc_setup(rustenc_test());
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
    session_write_close();
    var_dump(rustenc_take_aside($dir, $id) === [$bytes]);
}
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session garbag… cannot be read: not a rustenc file (plaintext or another handler's data); it was set aside as rustenc_garbag….unreadable-%s in %s/rustenc-phpt-074 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session garbag… cannot be read: not a rustenc file (plaintext or another handler's data); it was set aside as rustenc_garbag….unreadable-%s in %s/rustenc-phpt-074 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session garbag… cannot be read: not a rustenc file (plaintext or another handler's data); it was set aside as rustenc_garbag….unreadable-%s in %s/rustenc-phpt-074 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session garbag… cannot be read: not a rustenc file (plaintext or another handler's data); it was set aside as rustenc_garbag….unreadable-%s in %s/rustenc-phpt-074 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)
