--TEST--
lazy_write: unchanged data leaves the ciphertext byte-for-byte identical and refreshes the mtime
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
$_SESSION['n'] = 7;
session_write_close();

$file = rustenc_file($dir, $id);
$before = file_get_contents($file);
clearstatcache();
$ino = fileinode($file);
touch($file, time() - 100);
clearstatcache();
var_dump(filemtime($file) <= time() - 99);

// A request that reads but does not change the session.
session_id($id);
session_start();
var_dump($_SESSION['n']);
var_dump(session_write_close());

clearstatcache();
var_dump(file_get_contents($file) === $before);
var_dump(fileinode($file) === $ino);
$age = time() - filemtime($file);
var_dump($age >= 0 && $age <= 5);

// The same in another process.
touch($file, time() - 100);
echo rustenc_child('session_id("' . $id . '"); session_start(); echo $_SESSION["n"], "\n"; var_dump(session_write_close());');
clearstatcache();
var_dump(file_get_contents($file) === $before);
$age = time() - filemtime($file);
var_dump($age >= 0 && $age <= 5);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
int(7)
bool(true)
bool(true)
bool(true)
bool(true)
7
bool(true)
bool(true)
bool(true)
