--TEST--
session_reset() restores the stored data, discarding changes made in this request
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
rustenc.lock_timeout_ms=2000
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

session_start();
$id = session_id();
$_SESSION['balance'] = 100;
session_write_close();

session_id($id);
session_start();
$_SESSION['balance'] = 0;
$_SESSION['extra'] = 'junk';
var_dump(session_reset());
var_dump($_SESSION);
$_SESSION['balance'] += 5;
session_write_close();

echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION);');
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
array(1) {
  ["balance"]=>
  int(100)
}
array(1) {
  ["balance"]=>
  int(105)
}
