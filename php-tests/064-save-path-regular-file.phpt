--TEST--
A session.save_path that is a regular file is refused, and the file is left unchanged
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
$path = rustenc_setup(rustenc_test());
rmdir($path);
file_put_contents($path, "not a directory\n");
chmod($path, 0600);

var_dump(session_start());
var_dump(session_status() === PHP_SESSION_NONE);
var_dump(file_get_contents($path));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session dir %s/rustenc-phpt-064 is not a directory; point session.save_path at a directory owned by root with mode 0700 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-064) in %s on line %d
bool(false)
bool(true)
string(16) "not a directory
"
