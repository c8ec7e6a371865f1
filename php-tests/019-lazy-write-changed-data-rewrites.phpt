--TEST--
lazy_write: changed data is written (new bytes) and reads back; unchanged again keeps those bytes
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
session.gc_maxlifetime=86400
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

session_start();
$id = session_id();
$_SESSION['n'] = 1;
session_write_close();
$file = rustenc_file($dir, $id);
$v1 = file_get_contents($file);

session_id($id);
session_start();
$_SESSION['n'] = 2;
session_write_close();
$v2 = file_get_contents($file);
var_dump($v2 !== $v1, strlen($v2) === strlen($v1));

// Same value, different type: still a change.
session_id($id);
session_start();
$_SESSION['n'] = '2';
session_write_close();
$v3 = file_get_contents($file);
var_dump($v3 !== $v2);

echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION["n"]); session_write_close();');
clearstatcache();
var_dump(file_get_contents($file) === $v3);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
string(1) "2"
bool(true)
