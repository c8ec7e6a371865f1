--TEST--
Session data written in one process is read back in another
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
$_SESSION['user'] = 'alice';
$_SESSION['n'] = 41;
var_dump(session_write_close());

echo rustenc_child('session_id($argv[1] ?? "' . $id . '"); session_start(); $_SESSION["n"]++; var_dump($_SESSION); session_write_close();');

session_id($id);
session_start();
var_dump($_SESSION['n']);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
array(2) {
  ["user"]=>
  string(5) "alice"
  ["n"]=>
  int(42)
}
int(42)
