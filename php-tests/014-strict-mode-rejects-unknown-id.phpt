--TEST--
Strict mode: an unknown id is replaced by a new one and no file is created for it
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

$unknown = 'attackerChosenId0123456789abcdef';
session_id($unknown);
var_dump(session_start());
$new = session_id();
var_dump($new !== $unknown);
// A new id of the configured shape. The sid settings are left as php.ini has
// them: PHP 8.4 deprecates changing them (028 covers them).
var_dump((bool)preg_match('/^[0-9a-zA-Z,-]+$/', $new) && strlen($new) === (int) ini_get('session.sid_length'));
var_dump($_SESSION);
$_SESSION['who'] = 'new session';
var_dump(session_write_close());

clearstatcache();
var_dump(file_exists(rustenc_file($dir, $unknown)));
var_dump(is_file(rustenc_file($dir, $new)));
var_dump(array_values(array_diff(scandir($dir), ['.', '..'])) === ['rustenc_' . $new]);

// The same unknown id in another process: also replaced, still no file.
echo rustenc_child('session_id("' . $unknown . '"); session_start();
var_dump(session_id() !== "' . $unknown . '", $_SESSION); session_write_close();');
clearstatcache();
var_dump(file_exists(rustenc_file($dir, $unknown)));
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
array(0) {
}
bool(true)
bool(false)
bool(true)
bool(true)
bool(true)
array(0) {
}
bool(false)
