--TEST--
A directory at a session's file name is refused and left in place, in non-strict and strict mode
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
ob_start(); // session INI stays changeable after output
$dir = rustenc_setup(rustenc_test());
$path = rustenc_file($dir, 'isdir083');
mkdir($path, 0700);
file_put_contents("$path/inside", 'keep');

session_id('isdir083');
var_dump(session_start());
ini_set('session.use_strict_mode', '1');
session_id('isdir083');
var_dump(session_start(), session_id() !== 'isdir083');
session_write_close();

clearstatcache();
var_dump(is_dir($path), file_get_contents("$path/inside"));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session file for id isdir0… in %s/rustenc-phpt-083 is a directory; refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-083) in %s on line %d
bool(false)

Warning: session_start(): rustenc: session file for id isdir0… in %s/rustenc-phpt-083 is a directory; refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d
bool(true)
bool(true)
bool(true)
string(4) "keep"
