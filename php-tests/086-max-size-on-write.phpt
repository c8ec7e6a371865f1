--TEST--
rustenc.max_size: session data larger than the limit is not written, with a warning, and the previous session is kept
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
rustenc.max_size=1000
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
$file = rustenc_file($dir, 'maxsize086');

session_id('maxsize086');
session_start();
$_SESSION['user'] = 'alice';
session_write_close();
$before = file_get_contents($file);

// 2000 bytes: refused.
session_id('maxsize086');
session_start();
$_SESSION['big'] = str_repeat('x', 2000);
session_write_close();
clearstatcache();
var_dump(file_get_contents($file) === $before);
var_dump(glob("$dir/rustenc_tmp*"));
echo rustenc_child('session_id("maxsize086"); session_start(); var_dump($_SESSION);');

// Exactly 1000 bytes serialized ('b|s:989:"…";') is accepted, 1001 is not.
foreach ([989, 990] as $n) {
    session_id('maxsize086');
    session_start();
    $_SESSION = ['b' => str_repeat('y', $n)];
    echo strlen(session_encode()), "\n";
    session_write_close();
    clearstatcache();
    echo strlen(rustenc_envelope($file)), "\n";
}
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_write_close(): rustenc: session maxsiz… is 2031 bytes, more than rustenc.max_size (1000 bytes); raise rustenc.max_size or store less in $_SESSION (the stored session was left as it was) in %s on line %d

Warning: session_write_close(): Failed to write session data (rustenc). Please verify that the current setting of session.save_path is correct (%s/rustenc-phpt-086) in %s on line %d
bool(true)
array(0) {
}
array(1) {
  ["user"]=>
  string(5) "alice"
}
1000
1073
1001

Warning: session_write_close(): rustenc: session maxsiz… is 1001 bytes, more than rustenc.max_size (1000 bytes); %s

Warning: session_write_close(): Failed to write session data (rustenc). %s
1073
