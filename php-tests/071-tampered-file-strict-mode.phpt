--TEST--
Strict mode: a session file with one flipped ciphertext byte is reported, a new id is issued, and the file is left byte for byte
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
$id = 'tamper071abcdefghijklmnop';

// use_strict_mode refuses unknown ids, so create the session in non-strict mode.
echo rustenc_child('session_id("' . $id . '"); session_start(); $_SESSION["user"] = "alice"; session_write_close();',
    ['session.use_strict_mode' => '0']);
$file = rustenc_file($dir, $id);
$bytes = file_get_contents($file);
// Byte 40 of the newest envelope (in its salt), in place in its slot.
$at = rustenc_newest($bytes)[0] + 40;
$bytes[$at] = chr(ord($bytes[$at]) ^ 0x01);
file_put_contents($file, $bytes);

session_id($id);
var_dump(session_start());
var_dump(session_id() !== $id);
var_dump($_SESSION);
$new = session_id();
$_SESSION['fresh'] = 1;
session_write_close();

clearstatcache();
var_dump(file_get_contents($file) === $bytes);
var_dump(is_file(rustenc_file($dir, $new)));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session tamper… cannot be read: authentication failed (the file was modified, or belongs to another session id); the file was left untouched in %s on line %d
bool(true)
bool(true)
array(0) {
}
bool(true)
bool(true)
