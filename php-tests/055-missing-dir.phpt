--TEST--
A session dir that does not exist is refused with the install command, and is not created
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
rmdir($dir);

var_dump(session_start());
var_dump(session_status() === PHP_SESSION_NONE);
var_dump(file_exists($dir));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session dir %s/rustenc-phpt-055 does not exist; run: install -d -m 0700 -o root %s/rustenc-phpt-055 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-055) in %s on line %d
bool(false)
bool(true)
bool(false)
