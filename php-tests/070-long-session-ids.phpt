--TEST--
Ids up to 256 characters work (those too long for a file name stored as rustenc_.<sha256>); 257 characters are refused
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

function id_of(int $len): string {
    return substr(str_repeat('Long070-,', 40), 0, $len);
}

// 247 is the longest id whose "rustenc_<id>" fits in 255 bytes.
foreach ([247, 248, 256] as $len) {
    $id = id_of($len);
    session_id($id);
    var_dump(session_start());
    $_SESSION['len'] = $len;
    session_write_close();
    clearstatcache();
    echo $len, ": plain name ", var_export(is_file(rustenc_file($dir, $id)), true),
        ", hashed name ", var_export(is_file("$dir/rustenc_." . hash('sha256', $id)), true), "\n";
    echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION["len"]);');
}

$id = id_of(257);
session_id($id);
var_dump(session_start());
var_dump(session_status() === PHP_SESSION_NONE);
echo "files: ", count(array_diff(scandir($dir), ['.', '..'])), "\n";
var_dump(file_exists("$dir/rustenc_." . hash('sha256', $id)));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
bool(true)
247: plain name true, hashed name false
int(247)
bool(true)
248: plain name false, hashed name true
int(248)
bool(true)
256: plain name false, hashed name true
int(256)

Warning: session_start(): rustenc: session id Long07… is invalid: it is longer than 256 characters; ids use only A-Z a-z 0-9 , - and are 1 to 256 characters long in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-070) in %s on line %d
bool(false)
bool(true)
files: 3
bool(false)
