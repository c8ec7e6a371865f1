--TEST--
The same 32-byte key given as base64, hex, upper-case hex or with surrounding white space opens the same sessions
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
session_id('samekey078');
session_start();
$_SESSION['n'] = 0;
session_write_close();

$hex = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
foreach ([$hex, strtoupper($hex), " $hex\n", "\tAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"] as $key) {
    echo rustenc_child('session_id("samekey078"); var_dump(session_start()); $_SESSION["n"]++; session_write_close();',
        [], ['RUSTENC_KEY' => $key]);
}
session_id('samekey078');
session_start();
var_dump($_SESSION['n']);
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
int(4)
