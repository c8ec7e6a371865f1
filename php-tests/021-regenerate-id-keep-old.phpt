--TEST--
session_regenerate_id(false) keeps the old session readable with the data it had at regeneration
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
$_SESSION['step'] = 1;
session_write_close();

session_id($old);
session_start();
$_SESSION['step'] = 2;
var_dump(session_regenerate_id(false));
$new = session_id();
var_dump($new !== $old);
$_SESSION['step'] = 3;
var_dump(session_write_close());

clearstatcache();
var_dump(is_file(rustenc_file($dir, $old)), is_file(rustenc_file($dir, $new)));
echo rustenc_child('session_id("' . $old . '"); session_start(); var_dump(session_id() === "' . $old . '", $_SESSION["step"]);');
echo rustenc_child('session_id("' . $new . '"); session_start(); var_dump(session_id() === "' . $new . '", $_SESSION["step"]);');
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
bool(true)
bool(true)
int(2)
bool(true)
int(3)
