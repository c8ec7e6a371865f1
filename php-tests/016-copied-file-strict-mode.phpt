--TEST--
Strict mode: a session file copied to another id's name is not accepted; the copy stays untouched
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
$victim = session_id();
$_SESSION['user'] = 'admin';
session_write_close();

// An attacker who can write files copies the victim's session to an id they know.
$stolen = 'stolen0123456789abcdefghijklmnop';
copy(rustenc_file($dir, $victim), rustenc_file($dir, $stolen));
chmod(rustenc_file($dir, $stolen), 0600);
$before = file_get_contents(rustenc_file($dir, $stolen));

session_id($stolen);
var_dump(session_start());
var_dump(session_id() !== $stolen);
var_dump(session_id() !== $victim);
var_dump($_SESSION);
session_write_close();

clearstatcache();
var_dump(file_get_contents(rustenc_file($dir, $stolen)) === $before);

// The victim's own session is unaffected.
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
Warning: session_start(): rustenc: session stolen… cannot be read: authentication failed (the file was modified, or belongs to another session id); the file was left untouched in %s on line %d
bool(true)
bool(true)
bool(true)
array(0) {
}
bool(true)
string(5) "admin"
