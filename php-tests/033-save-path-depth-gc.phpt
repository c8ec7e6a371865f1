--TEST--
save_path "2;/dir": session_gc() finds and removes expired sessions in the subdirectories only
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
session.gc_maxlifetime=100
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test(), '2;');

$ids = ['ab0old0000000000000000000000000a', 'ab1fresh00000000000000000000000b',
        'cdold00000000000000000000000000c', 'xyold00000000000000000000000000d',
        'xyfresh000000000000000000000000e'];
foreach ($ids as $id) {
    session_id($id);
    session_start();
    $_SESSION['id'] = $id;
    session_write_close();
}
$path = fn($id) => "$dir/{$id[0]}/{$id[1]}/rustenc_$id";
foreach ($ids as $id) {
    if (str_contains($id, 'old')) {
        touch($path($id), time() - 500);
    }
}

session_id('current0000000000000000000000000');
session_start();
var_dump(session_gc());
session_write_close();

clearstatcache();
foreach ($ids as $id) {
    echo $id, ': ', file_exists($path($id)) ? 'kept' : 'removed', "\n";
}
var_dump(is_file($path('current0000000000000000000000000')));
// The subdirectories stay.
var_dump(is_dir("$dir/c/d"), is_dir("$dir/a/b"));

// Fresh ones still read back.
session_id('xyfresh000000000000000000000000e');
session_start();
var_dump($_SESSION['id']);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
int(3)
ab0old0000000000000000000000000a: removed
ab1fresh00000000000000000000000b: kept
cdold00000000000000000000000000c: removed
xyold00000000000000000000000000d: removed
xyfresh000000000000000000000000e: kept
bool(true)
bool(true)
bool(true)
string(32) "xyfresh000000000000000000000000e"
