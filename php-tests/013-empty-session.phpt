--TEST--
An empty session leaves a valid, empty envelope that reads back as an empty session
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

var_dump(session_start());
$id = session_id();
var_dump($_SESSION);
var_dump(session_write_close());

$file = rustenc_file($dir, $id);
clearstatcache();
var_dump(is_file($file));
$bytes = file_get_contents($file);
$envelope = rustenc_newest($bytes)[1];
var_dump(strlen($envelope), substr($envelope, 0, 4), substr($bytes, 0, 4));
printf("%04o\n", fileperms($file) & 07777);

// Another process (strict mode) accepts the id and gets an empty session.
echo rustenc_child('session_id(' . var_export($id, true) . '); var_dump(session_start());
var_dump(session_id() === ' . var_export($id, true) . ', $_SESSION);');

// And so does this one.
session_id($id);
var_dump(session_start(), session_id() === $id, $_SESSION);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
array(0) {
}
bool(true)
bool(true)
int(73)
string(4) "RENC"
string(4) "RENS"
0600
bool(true)
bool(true)
array(0) {
}
bool(true)
bool(true)
array(0) {
}
