--TEST--
session_gc() removes only sessions idle longer than gc_maxlifetime and returns how many
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.gc_maxlifetime=100
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

$ids = [];
for ($i = 0; $i < 5; $i++) {
    session_start();
    $ids[$i] = session_id();
    $_SESSION['i'] = $i;
    session_write_close();
    session_id('');
}
// 0 and 1 are long expired, 2 just expired, 3 is close to (but within) the
// lifetime, 4 is fresh.
touch(rustenc_file($dir, $ids[0]), time() - 10000);
touch(rustenc_file($dir, $ids[1]), time() - 200);
touch(rustenc_file($dir, $ids[2]), time() - 110);
touch(rustenc_file($dir, $ids[3]), time() - 60);
// Files that are not sessions are never removed, however old.
file_put_contents("$dir/README", "not a session\n");
touch("$dir/README", time() - 10000);

session_start();
$current = session_id();
var_dump(session_gc());
session_write_close();

clearstatcache();
foreach ($ids as $i => $id) {
    echo $i, ': ', file_exists(rustenc_file($dir, $id)) ? 'kept' : 'removed', "\n";
}
var_dump(is_file(rustenc_file($dir, $current)), is_file("$dir/README"));

// The survivors still read back.
foreach ([3, 4] as $i) {
    session_id($ids[$i]);
    session_start();
    var_dump(session_id() === $ids[$i], $_SESSION['i']);
    session_write_close();
}

// A second run finds nothing more to remove.
session_start();
var_dump(session_gc());
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
int(3)
0: removed
1: removed
2: removed
3: kept
4: kept
bool(true)
bool(true)
bool(true)
int(3)
bool(true)
int(4)
int(0)
