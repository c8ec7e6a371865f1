--TEST--
Two sessions used one after another in one process keep separate data
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

$a = 'sessionAaaaaaaaaaaaaaaaaaaaaaaaa';
$b = 'sessionBbbbbbbbbbbbbbbbbbbbbbbbb';

session_id($a);
session_start();
$_SESSION['owner'] = 'A';
$_SESSION['only_a'] = true;
var_dump(session_write_close());

session_id($b);
session_start();
var_dump($_SESSION);
$_SESSION['owner'] = 'B';
var_dump(session_write_close());

session_id($a);
session_start();
var_dump($_SESSION);
$_SESSION['visits'] = 2;
session_write_close();

session_id($b);
session_start();
var_dump($_SESSION);
session_write_close();

// Each file opens only as its own session.
echo rustenc_child('foreach (["' . $a . '", "' . $b . '"] as $id) { session_id($id); session_start(); echo $id[7], ": ", json_encode($_SESSION), "\n"; session_write_close(); }');
$names = array_values(array_diff(scandir($dir), ['.', '..']));
sort($names);
var_dump($names === ["rustenc_$a", "rustenc_$b"]);
var_dump(file_get_contents(rustenc_file($dir, $a)) !== file_get_contents(rustenc_file($dir, $b)));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
array(0) {
}
bool(true)
array(2) {
  ["owner"]=>
  string(1) "A"
  ["only_a"]=>
  bool(true)
}
array(1) {
  ["owner"]=>
  string(1) "B"
}
A: {"owner":"A","only_a":true,"visits":2}
B: {"owner":"B"}
bool(true)
bool(true)
