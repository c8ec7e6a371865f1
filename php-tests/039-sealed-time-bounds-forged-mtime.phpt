--TEST--
The sealed time bounds a session's life even when its mtime is fresh; lazy_write reseals an ageing session
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
session.gc_maxlifetime=4
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
ob_start(); // so session INI settings can still be changed below

$a = 'ageingAaaaaaaaaaaaaaaaaaaaaaaaaa';
$b = 'restoredBbbbbbbbbbbbbbbbbbbbbbbb';
foreach ([$a, $b] as $id) {
    session_id($id);
    session_start();
    $_SESSION['who'] = $id[0];
    session_write_close();
}
$fa = rustenc_file($dir, $a);
$fb = rustenc_file($dir, $b);
$beforeA = file_get_contents($fa);
$beforeB = file_get_contents($fb);
sleep(3);

// A, lifetime 4 s: sealed 3 s ago, more than half the lifetime. An unchanged
// request is served and reseals it (new bytes, same data) instead of only touching.
touch($fa);
session_id($a);
session_start();
var_dump($_SESSION);
session_write_close();
$resealed = file_get_contents($fa);
var_dump($resealed !== $beforeA, strlen($resealed) === strlen($beforeA));
// Freshly sealed: the next unchanged request only touches it.
session_id($a);
session_start();
session_write_close();
var_dump(file_get_contents($fa) === $resealed);

// B, lifetime 1 s: its mtime is made fresh (a restored backup, a forged
// timestamp), but it was sealed more than twice the lifetime ago: not served.
ini_set('session.gc_maxlifetime', '1');
touch($fb);
session_id($b);
var_dump(session_start());
var_dump($_SESSION);
session_write_close();
// The old data is gone for good, not just hidden for one request.
var_dump(file_get_contents($fb) !== $beforeB);
session_id($b);
session_start();
var_dump($_SESSION);
session_write_close();
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
array(1) {
  ["who"]=>
  string(1) "a"
}
bool(true)
bool(true)
bool(true)
bool(true)
array(0) {
}
bool(true)
array(0) {
}
