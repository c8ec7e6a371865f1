--TEST--
session_regenerate_id(true) removes the old file and moves the data to the new id
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

session_start();
$old = session_id();
$_SESSION['user'] = 'bob';
session_write_close();

session_id($old);
session_start();
$_SESSION['role'] = 'admin';
var_dump(session_regenerate_id(true));
$new = session_id();
var_dump($new !== $old);
clearstatcache();
var_dump(file_exists(rustenc_file($dir, $old)));
var_dump(session_write_close());

clearstatcache();
var_dump(file_exists(rustenc_file($dir, $old)), is_file(rustenc_file($dir, $new)));
var_dump(array_values(array_diff(scandir($dir), ['.', '..'])) === ['rustenc_' . $new]);
printf("%04o\n", fileperms(rustenc_file($dir, $new)) & 07777);

echo rustenc_child('session_id("' . $new . '"); session_start(); var_dump(session_id() === "' . $new . '", $_SESSION);');
// The old id is gone for good: strict mode issues a fresh one.
echo rustenc_child('session_id("' . $old . '"); session_start(); var_dump(session_id() !== "' . $old . '", $_SESSION);');
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
bool(true)
bool(false)
bool(true)
bool(false)
bool(true)
bool(true)
0600
bool(true)
array(2) {
  ["user"]=>
  string(3) "bob"
  ["role"]=>
  string(5) "admin"
}
bool(true)
array(0) {
}
