--TEST--
session_start(['read_and_close' => true]) returns the data, ends the session and leaves the file alone
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.gc_maxlifetime=86400
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

session_start();
$id = session_id();
$_SESSION['theme'] = 'dark';
session_write_close();

$file = rustenc_file($dir, $id);
touch($file, time() - 100);
clearstatcache();
$bytes = file_get_contents($file);
$mtime = filemtime($file);
$ino = fileinode($file);

session_id($id);
var_dump(session_start(['read_and_close' => true]));
var_dump($_SESSION);
var_dump(session_status() === PHP_SESSION_NONE);
// Changes after read_and_close are not saved.
$_SESSION['theme'] = 'light';
var_dump(session_write_close());

clearstatcache();
var_dump(file_get_contents($file) === $bytes, filemtime($file) === $mtime, fileinode($file) === $ino);

// The lock is not held: another process gets the session at once.
$t = microtime(true);
echo rustenc_child('session_id("' . $id . '"); session_start(); echo $_SESSION["theme"], "\n";', ['rustenc.lock_timeout_ms' => '3000']);
var_dump(microtime(true) - $t < 2.5);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
array(1) {
  ["theme"]=>
  string(4) "dark"
}
bool(true)
bool(false)
bool(true)
bool(true)
bool(true)
dark
bool(true)
