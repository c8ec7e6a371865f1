--TEST--
Truncated and zero-byte session files are reported as truncated, never served, set aside whole without strict mode (left in place with it)
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
ob_start(); // session INI stays changeable after output
$dir = rustenc_setup(rustenc_test());
$id = 'trunc073abc';
$file = rustenc_file($dir, $id);
session_id($id);
session_start();
$_SESSION['user'] = 'alice';
session_write_close();
// A file in the old layout (one envelope, as rustenc 0.2 wrote), cut short.
$good = rustenc_envelope($file);

foreach ([0, 3, 20, 48, strlen($good) - 1] as $len) {
    $bytes = substr($good, 0, $len);
    file_put_contents($file, $bytes);
    $_SESSION = [];
    session_id($id);
    var_dump(session_start());
    var_dump($_SESSION);
    session_write_close();
    var_dump(rustenc_take_aside($dir, $id) === [$bytes]);
}

// A slot file whose newest record was cut short (its trailing sequence
// number is missing): the record before it is read, without a warning.
foreach (['alice', 'bob'] as $user) {
    session_id($id);
    session_start();
    $_SESSION['user'] = $user;
    session_write_close();
}
$slots = file_get_contents($file);
[$at, $envelope] = rustenc_newest($slots);
file_put_contents($file, substr_replace($slots, str_repeat("\0", 8), $at + strlen($envelope), 8));
session_id($id);
var_dump(session_start(), $_SESSION);
session_write_close();
// A slot file cut short before any whole record: set aside.
$bytes = substr(file_get_contents($file), 0, 20);
file_put_contents($file, $bytes);
session_id($id);
var_dump(session_start(), $_SESSION);
session_write_close();
var_dump(rustenc_take_aside($dir, $id) === [$bytes]);

// Strict mode: a new, empty session instead; the empty file stays.
file_put_contents($file, '');
ini_set('session.use_strict_mode', '1');
session_id($id);
var_dump(session_start(), session_id() !== $id, $_SESSION);
session_write_close();
clearstatcache();
var_dump(is_file($file), filesize($file));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session trunc0… cannot be read: truncated file (0 bytes, an envelope has at least 49); it was set aside as rustenc_trunc0….unreadable-%s in %s/rustenc-phpt-073 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session trunc0… cannot be read: truncated file (3 bytes, an envelope has at least 49); it was set aside as rustenc_trunc0….unreadable-%s in %s/rustenc-phpt-073 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session trunc0… cannot be read: truncated file (20 bytes, an envelope has at least 73); it was set aside as rustenc_trunc0….unreadable-%s in %s/rustenc-phpt-073 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session trunc0… cannot be read: truncated file (48 bytes, an envelope has at least 73); it was set aside as rustenc_trunc0….unreadable-%s in %s/rustenc-phpt-073 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session trunc0… cannot be read: authentication failed (the file was modified, or belongs to another session id); it was set aside as rustenc_trunc0….unreadable-%s in %s/rustenc-phpt-073 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)
bool(true)
array(1) {
  ["user"]=>
  string(5) "alice"
}

Warning: session_start(): rustenc: session trunc0… cannot be read: no complete record in either slot of this 20-byte file (cut short, overwritten, or its layout header is damaged); it was set aside as rustenc_trunc0….unreadable-%s in %s/rustenc-phpt-073 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session trunc0… cannot be read: truncated file (0 bytes, an envelope has at least 49); the file was left untouched in %s on line %d
bool(true)
bool(true)
array(0) {
}
bool(true)
int(0)
