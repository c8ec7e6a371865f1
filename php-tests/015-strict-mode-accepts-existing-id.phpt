--TEST--
Strict mode: the id of an existing session is accepted, in this process and another
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
$id = session_id();
$_SESSION['cart'] = ['apple', 'pear'];
session_write_close();

session_id($id);
var_dump(session_start());
var_dump(session_id() === $id);
var_dump($_SESSION['cart']);
$_SESSION['cart'][] = 'plum';
session_write_close();

echo rustenc_child('session_id("' . $id . '"); var_dump(session_start());
var_dump(session_id() === "' . $id . '"); echo implode(",", $_SESSION["cart"]), "\n";');

var_dump(array_values(array_diff(scandir($dir), ['.', '..'])) === ['rustenc_' . $id]);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
bool(true)
array(2) {
  [0]=>
  string(5) "apple"
  [1]=>
  string(4) "pear"
}
bool(true)
bool(true)
apple,pear,plum
bool(true)
