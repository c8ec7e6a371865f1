--TEST--
session_abort() discards the request's changes: the file's bytes and mtime stay as they were
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
$_SESSION['balance'] = 100;
session_write_close();

$file = rustenc_file($dir, $id);
touch($file, time() - 50);
clearstatcache();
$before = file_get_contents($file);
$mtime = filemtime($file);

session_id($id);
session_start();
$_SESSION['balance'] = 0;
var_dump(session_abort());
var_dump(session_status() === PHP_SESSION_NONE);

clearstatcache();
var_dump(file_get_contents($file) === $before, filemtime($file) === $mtime);

// The lock was released: another process gets the stored data at once.
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION["balance"]);', ['rustenc.lock_timeout_ms' => '500']);

session_id($id);
session_start();
var_dump($_SESSION['balance']);
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
bool(true)
int(100)
int(100)
