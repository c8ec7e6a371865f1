--TEST--
A session file with another format version byte is reported as "unsupported format version N" and set aside unchanged
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
$id = 'version076';
$file = rustenc_file($dir, $id);
session_id($id);
session_start();
$_SESSION['user'] = 'alice';
session_write_close();
// A file in the old layout (one envelope, as rustenc 0.2 wrote).
$good = rustenc_envelope($file);
var_dump(substr($good, 0, 5) === "RENC\x02");

foreach ([3, 0, 255] as $v) {
    $bytes = substr_replace($good, chr($v), 4, 1);
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
bool(true)

Warning: session_start(): rustenc: session versio… cannot be read: unsupported format version 3 (this rustenc reads versions 1 and 2); it was set aside as rustenc_versio….unreadable-%s in %s/rustenc-phpt-076 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session versio… cannot be read: unsupported format version 0 (this rustenc reads versions 1 and 2); it was set aside as rustenc_versio….unreadable-%s in %s/rustenc-phpt-076 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session versio… cannot be read: unsupported format version 255 (this rustenc reads versions 1 and 2); it was set aside as rustenc_versio….unreadable-%s in %s/rustenc-phpt-076 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)
