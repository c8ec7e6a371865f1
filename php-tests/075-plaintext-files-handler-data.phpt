--TEST--
A plaintext session file in the files handler's format is refused; its data never reaches $_SESSION, in either mode
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
$dir = rustenc_setup('075');
$id = 'plain075abcdef';
$file = rustenc_file($dir, $id);

foreach (['user|s:5:"alice";', 'user|s:5:"alice";admin|b:1;role|s:13:"administrator";'] as $plain) {
    file_put_contents($file, $plain);
    chmod($file, 0600);
    foreach (['0', '1'] as $strict) {
        ini_set('session.use_strict_mode', $strict);
        $_SESSION = [];
        session_id($id);
        $ok = session_start();
        var_dump($ok, isset($_SESSION['user']) || isset($_SESSION['admin']));
        if ($ok) {
            var_dump(session_id() !== $id);
            session_write_close();
        }
        clearstatcache();
        var_dump(file_get_contents($file) === $plain);
    }
}
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup('075');
?>
--EXPECTF--
Warning: session_start(): rustenc: session plain0… cannot be read: not a rustenc file (plaintext or another handler's data); the file was left untouched in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-075) in %s on line %d
bool(false)
bool(false)
bool(true)

Warning: session_start(): rustenc: session plain0… cannot be read: not a rustenc file (plaintext or another handler's data); the file was left untouched in %s on line %d
bool(true)
bool(false)
bool(true)
bool(true)

Warning: session_start(): rustenc: session plain0… cannot be read: not a rustenc file (plaintext or another handler's data); the file was left untouched in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-075) in %s on line %d
bool(false)
bool(false)
bool(true)

Warning: session_start(): rustenc: session plain0… cannot be read: not a rustenc file (plaintext or another handler's data); the file was left untouched in %s on line %d
bool(true)
bool(false)
bool(true)
bool(true)
