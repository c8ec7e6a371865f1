--TEST--
Non-strict, gc off: a session idle just under gc_maxlifetime is served and lazy_write only touches it; just over, it reads as empty and the old data never comes back
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
$dir = rustenc_setup(rustenc_test());

session_start();
$id = session_id();
$_SESSION['user'] = 'mallory-old-login';
session_write_close();
$file = rustenc_file($dir, $id);
$sealed = file_get_contents($file);

// Just under the lifetime (97 s of 100; the margin absorbs a slow machine):
// served. The session is not empty and not changed, so lazy_write calls
// update_timestamp, which only touches the file: same ciphertext, new mtime.
touch($file, time() - 97);
session_id($id);
session_start();
var_dump($_SESSION);
session_write_close();
clearstatcache();
var_dump(file_get_contents($file) === $sealed, time() - filemtime($file) <= 5);

// The touch counts as use: 97 s later it is still served (it would have been
// 194 s old without it), and still only touched.
touch($file, time() - 97);
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION); session_write_close();');
clearstatcache();
var_dump(file_get_contents($file) === $sealed, time() - filemtime($file) <= 5);

// Just over the lifetime (102 s): not served, although gc never ran. The
// request ends with write(''), not update_timestamp: PHP compares the data
// with what read returned (''), and an empty $_SESSION encodes to nothing.
touch($file, time() - 102);
session_id($id);
var_dump(session_start());
var_dump(session_id() === $id, $_SESSION);
var_dump(session_write_close());
clearstatcache();
// The old content was replaced by the (empty) session that was served.
var_dump(strlen(rustenc_envelope($file)));

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
touch($file, time() - 102);
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION); session_write_close();');
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION);');
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
array(1) {
  ["user"]=>
  string(17) "mallory-old-login"
}
bool(true)
bool(true)
array(1) {
  ["user"]=>
  string(17) "mallory-old-login"
}
bool(true)
bool(true)
bool(true)
bool(true)
array(0) {
}
bool(true)
int(73)
array(0) {
}
array(0) {
}
array(0) {
}
array(0) {
}
