--TEST--
A plaintext session file in the files handler's format is refused; its data never reaches $_SESSION, in either mode (set aside without strict mode, left in place with it)
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
$id = 'plain075abcdef';
$file = rustenc_file($dir, $id);

foreach (['user|s:5:"alice";', 'user|s:5:"alice";admin|b:1;role|s:13:"administrator";'] as $plain) {
    foreach (['0', '1'] as $strict) {
        file_put_contents($file, $plain);
        chmod($file, 0600);
        ini_set('session.use_strict_mode', $strict);
        $_SESSION = [];
        session_id($id);
        $ok = session_start();
        var_dump($ok, isset($_SESSION['user']) || isset($_SESSION['admin']));
        var_dump(session_id() !== $id); // strict mode: a new id
        session_write_close();
        clearstatcache();
        // Strict mode leaves it in place; without, it is set aside whole.
        var_dump($strict === '1' ? file_get_contents($file) === $plain : rustenc_take_aside($dir, $id) === [$plain]);
    }
}
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session plain0… cannot be read: not a rustenc file (plaintext or another handler's data); it was set aside as rustenc_plain0….unreadable-%s in %s/rustenc-phpt-075 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
bool(false)
bool(false)
bool(true)

Warning: session_start(): rustenc: session plain0… cannot be read: not a rustenc file (plaintext or another handler's data); the file was left untouched in %s on line %d
bool(true)
bool(false)
bool(true)
bool(true)

Warning: session_start(): rustenc: session plain0… cannot be read: not a rustenc file (plaintext or another handler's data); it was set aside as rustenc_plain0….unreadable-%s in %s/rustenc-phpt-075 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
bool(false)
bool(false)
bool(true)

Warning: session_start(): rustenc: session plain0… cannot be read: not a rustenc file (plaintext or another handler's data); the file was left untouched in %s on line %d
bool(true)
bool(false)
bool(true)
bool(true)
