--TEST--
Non-strict, gc off: a session idle longer than gc_maxlifetime reads as empty, and lazy_write does not bring the old data back
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
session.lazy_write=1
session.gc_probability=0
session.gc_maxlifetime=100
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup('026');

session_start();
$id = session_id();
$_SESSION['user'] = 'mallory-old-login';
session_write_close();
$file = rustenc_file($dir, $id);
touch($file, time() - 200);

// The expired session is not served, although gc never ran.
session_id($id);
var_dump(session_start());
var_dump(session_id() === $id, $_SESSION);
// Nothing changes in this request: lazy_write would only touch the file.
var_dump(session_write_close());

clearstatcache();
// The old content was replaced by the (empty) session that was served.
var_dump(filesize($file));

// The next request, with a fresh mtime, must still not see the old data.
session_id($id);
session_start();
var_dump($_SESSION);
session_write_close();
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION);');

// Also when the next request comes from another process right away.
session_id($id);
session_start();
$_SESSION['user'] = 'second-login';
session_write_close();
touch($file, time() - 200);
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION); session_write_close();');
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION);');
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup('026');
?>
--EXPECT--
bool(true)
bool(true)
array(0) {
}
bool(true)
int(49)
array(0) {
}
array(0) {
}
array(0) {
}
array(0) {
}
