--TEST--
Non-strict mode: a modified file, or a valid file copied to another id's name, fails closed and is left unchanged
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
$dir = rustenc_setup('072');

session_id('victim072');
session_start();
$_SESSION['user'] = 'alice';
session_write_close();
$good = file_get_contents(rustenc_file($dir, 'victim072'));

$cases = [
    'flip072ciphertext' => fn($b) => substr_replace($b, chr(ord($b[40]) ^ 0x80), 40, 1),
    'flip072sealedat'   => fn($b) => substr_replace($b, chr(ord($b[20]) ^ 0x01), 20, 1),
    'flip072nonce'      => fn($b) => substr_replace($b, chr(ord($b[25]) ^ 0x01), 25, 1),
    'flip072tag'        => fn($b) => substr_replace($b, chr(ord($b[-1]) ^ 0x01), -1, 1),
    'copied072'         => fn($b) => $b, // victim072's file under another id's name
];
foreach ($cases as $id => $change) {
    $file = rustenc_file($dir, $id);
    $bytes = $change($good);
    file_put_contents($file, $bytes);
    $_SESSION = [];
    session_id($id);
    var_dump(session_start());
    var_dump($_SESSION);
    clearstatcache();
    var_dump(file_get_contents($file) === $bytes);
}
// The original still opens.
session_id('victim072');
var_dump(session_start(), $_SESSION['user']);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup('072');
?>
--EXPECTF--
Warning: session_start(): rustenc: session flip07… cannot be read: authentication failed (the file was modified, or belongs to another session id); the file was left untouched in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-072) in %s on line %d
bool(false)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session flip07… cannot be read: authentication failed %s

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-072) in %s on line %d
bool(false)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session flip07… cannot be read: authentication failed %s

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-072) in %s on line %d
bool(false)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session flip07… cannot be read: authentication failed %s

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-072) in %s on line %d
bool(false)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session copied… cannot be read: authentication failed (the file was modified, or belongs to another session id); the file was left untouched in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-072) in %s on line %d
bool(false)
array(0) {
}
bool(true)
bool(true)
string(5) "alice"
