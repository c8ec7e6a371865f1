--TEST--
A FIFO at a session's file name is refused at once (no hang waiting for a writer) and left in place
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
$path = rustenc_file($dir, 'fifo084');
if (function_exists('posix_mkfifo')) {
    posix_mkfifo($path, 0600);
} else {
    exec('mkfifo -m 0600 ' . escapeshellarg($path));
}
clearstatcache();
var_dump(filetype($path));

$t = microtime(true);
session_id('fifo084');
var_dump(session_start());
ini_set('session.use_strict_mode', '1');
session_id('fifo084');
var_dump(session_start(), session_id() !== 'fifo084');
session_write_close();
var_dump(microtime(true) - $t < 5);

clearstatcache();
var_dump(filetype($path));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
string(4) "fifo"

Warning: session_start(): rustenc: session file for id fifo08… in %s/rustenc-phpt-084 is a FIFO; refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-084) in %s on line %d
bool(false)

Warning: session_start(): rustenc: session file for id fifo08… in %s/rustenc-phpt-084 is a FIFO; refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d
bool(true)
bool(true)
bool(true)
string(4) "fifo"
