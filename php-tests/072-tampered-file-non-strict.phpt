--TEST--
Non-strict mode: a modified file, or a valid file copied to another id's name, is never unserialized: it is set aside unchanged (gc removes it later), one warning, and the user goes on with an empty session (the next request without warning)
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
$dir = rustenc_setup(rustenc_test());

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
    $_SESSION['fresh'] = $id;
    session_write_close();
    var_dump(rustenc_take_aside($dir, $id) === [$bytes]);
    // The next request: the user's new session, no warning.
    session_id($id);
    session_start();
    echo json_encode($_SESSION), "\n";
    session_write_close();
}
// The original still opens.
session_id('victim072');
var_dump(session_start(), $_SESSION['user']);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session flip07… cannot be read: authentication failed (the file was modified, or belongs to another session id); it was set aside as rustenc_flip07….unreadable-%s in %s/rustenc-phpt-072 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)
{"fresh":"flip072ciphertext"}

Warning: session_start(): rustenc: session flip07… cannot be read: authentication failed (the file was modified, or belongs to another session id); it was set aside as rustenc_flip07….unreadable-%s in %s/rustenc-phpt-072 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)
{"fresh":"flip072sealedat"}

Warning: session_start(): rustenc: session flip07… cannot be read: authentication failed (the file was modified, or belongs to another session id); it was set aside as rustenc_flip07….unreadable-%s in %s/rustenc-phpt-072 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)
{"fresh":"flip072nonce"}

Warning: session_start(): rustenc: session flip07… cannot be read: authentication failed (the file was modified, or belongs to another session id); it was set aside as rustenc_flip07….unreadable-%s in %s/rustenc-phpt-072 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)
{"fresh":"flip072tag"}

Warning: session_start(): rustenc: session copied… cannot be read: authentication failed (the file was modified, or belongs to another session id); it was set aside as rustenc_copied….unreadable-%s in %s/rustenc-phpt-072 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(0) {
}
bool(true)
{"fresh":"copied072"}
bool(true)
string(5) "alice"
