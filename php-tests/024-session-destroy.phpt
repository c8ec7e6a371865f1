--TEST--
session_destroy() removes the file; the same id later starts an empty session (non-strict)
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

session_start();
$id = session_id();
$_SESSION['user'] = 'carol';
session_write_close();
$file = rustenc_file($dir, $id);
clearstatcache();
var_dump(is_file($file));

session_id($id);
session_start();
var_dump($_SESSION['user']);
var_dump(session_destroy());
clearstatcache();
var_dump(file_exists($file));
var_dump(array_values(array_diff(scandir($dir), ['.', '..'])));

// Another process with the same id: an empty session, not carol's.
echo rustenc_child('session_id("' . $id . '"); var_dump(session_start(), session_id() === "' . $id . '", $_SESSION);');

session_id($id);
var_dump(session_start());
var_dump(session_id() === $id, $_SESSION);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
string(5) "carol"
bool(true)
bool(false)
array(0) {
}
bool(true)
bool(true)
array(0) {
}
bool(true)
bool(true)
array(0) {
}
