--TEST--
rustenc_gc() removes expired sessions without a session or a key, and reports an unusable directory
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=
RUSTENC_TEST_KEY=
--INI--
session.gc_maxlifetime=100
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
// Sessions written by a process that has the key.
$ids = [];
foreach (['old1', 'old2', 'fresh'] as $name) {
    $ids[$name] = trim(rustenc_child('session_start(); $_SESSION["x"] = 1; echo session_id();',
        ['session.save_path' => $dir, 'session.save_handler' => 'rustenc', 'session.use_strict_mode' => '1'],
        ['RUSTENC_KEY' => 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=']));
}
touch(rustenc_file($dir, $ids['old1']), time() - 500);
touch(rustenc_file($dir, $ids['old2']), time() - 101 - 5);
file_put_contents("$dir/unrelated.txt", "keep");
touch("$dir/unrelated.txt", time() - 500);

// This process has no key: gc needs none.
var_dump(rustenc_gc());                 // save_path and gc_maxlifetime from INI
var_dump(file_exists(rustenc_file($dir, $ids['old1'])), file_exists(rustenc_file($dir, $ids['old2'])));
var_dump(file_exists(rustenc_file($dir, $ids['fresh'])), file_exists("$dir/unrelated.txt"));
var_dump(rustenc_gc($dir, 0) >= 0);     // explicit arguments; 0 s: only files older than now
var_dump(rustenc_gc($dir, 3600));

chmod($dir, 0777);
var_dump(rustenc_gc($dir));
chmod($dir, 0700);
var_dump(rustenc_gc('/nonexistent/rustenc-003'));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
int(2)
bool(false)
bool(false)
bool(true)
bool(true)
bool(true)
int(0)

Warning: rustenc_gc(): rustenc: session dir %s/rustenc-phpt-003 is mode 0777, writable by group and others; run: chmod 0700 %s/rustenc-phpt-003 in %s on line %d
int(-1)

Warning: rustenc_gc(): rustenc: session dir /nonexistent/rustenc-003 does not exist; run: install -d -m 0700 -o root /nonexistent/rustenc-003 in %s on line %d
int(-1)
