--TEST--
Non-strict mode: a session file copied to another id's name fails authentication, is set aside whole, and the user goes on with an empty session
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

session_start();
$victim = session_id();
$_SESSION['user'] = 'admin';
session_write_close();

$stolen = 'stolen0123456789abcdefghijklmnop';
copy(rustenc_file($dir, $victim), rustenc_file($dir, $stolen));
chmod(rustenc_file($dir, $stolen), 0600);
$before = file_get_contents(rustenc_file($dir, $stolen));

session_id($stolen);
var_dump(session_start());
var_dump(session_status() === PHP_SESSION_ACTIVE);
var_dump(isset($_SESSION['user']));
session_write_close();

var_dump(rustenc_take_aside($dir, $stolen) === [$before]);

session_id($victim);
session_start();
var_dump($_SESSION['user']);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session stolen… cannot be read: authentication failed (the file was modified, or belongs to another session id); it was set aside as rustenc_stolen….unreadable-%s in %s/rustenc-phpt-017 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
bool(true)
bool(false)
bool(true)
string(5) "admin"
