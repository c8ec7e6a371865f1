--TEST--
Strict mode, gc off: just under gc_maxlifetime a session keeps its id and data; just over, its id is replaced by a new one and its data never comes back
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
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
$_SESSION['user'] = 'old-login';
session_write_close();
$file = rustenc_file($dir, $id);

// Just under the lifetime (97 s of 100): the id is accepted, the data served.
touch($file, time() - 97);
session_id($id);
var_dump(session_start());
var_dump(session_id() === $id, $_SESSION);
session_write_close();

// Just over (102 s): strict mode replaces the id.
touch($file, time() - 102);
$before = file_get_contents($file);
session_id($id);
var_dump(session_start());
$new = session_id();
var_dump($new !== $id, $_SESSION);
session_write_close();

// Asking for the old id again (right away, and from another process) never
// revives it, even though its file is still on disk until gc runs.
session_id($id);
session_start();
var_dump(session_id() !== $id, $_SESSION);
session_write_close();
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump(session_id() !== "' . $id . '", $_SESSION); session_write_close();');

// Being asked for did not refresh the expired file: it is unchanged, still
// old, and the next gc removes it.
clearstatcache();
var_dump(file_get_contents($file) === $before, filemtime($file) <= time() - 101);
session_start();
var_dump(session_gc());
clearstatcache();
var_dump(file_exists($file));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
bool(true)
array(1) {
  ["user"]=>
  string(9) "old-login"
}
bool(true)
bool(true)
array(0) {
}
bool(true)
array(0) {
}
bool(true)
array(0) {
}
bool(true)
bool(true)
int(1)
bool(false)
