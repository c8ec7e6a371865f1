--TEST--
rustenc_import_files() run again skips sessions already imported (never overwriting them); with $remove_imported the imported files-handler sessions are deleted and still served by rustenc
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.lazy_write=1
session.gc_maxlifetime=86400
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dst = rustenc_setup(rustenc_test());
$dst2 = rustenc_dir(rustenc_test() . '-second');
$src = rustenc_dir(rustenc_test() . '-files');
rustenc_cleanup(rustenc_test() . '-second');
rustenc_cleanup(rustenc_test() . '-files');
mkdir($dst2, 0700);
mkdir($src, 0700);
$files = ['session.save_handler' => 'files', 'session.save_path' => $src];

$ids = [];
foreach (['one', 'two', 'three'] as $n) {
    $ids[$n] = trim(rustenc_child('session_start(); $_SESSION["who"] = "' . $n . '"; echo session_id();', $files));
}
$read = fn(string $id, string $dir) => rustenc_child('session_id("' . $id . '"); session_start(); echo json_encode($_SESSION), "\n";',
    ['session.save_handler' => 'rustenc', 'session.save_path' => $dir]);

echo "first: ", json_encode(rustenc_import_files($src, $dst)), "\n";
$stored = array_map(fn($id) => file_get_contents(rustenc_file($dst, $id)), $ids);

// After the switch a user's files session changed (the import ran before the
// last files request); the store already has this session: skipped, not replaced.
rustenc_child('session_id("' . $ids['one'] . '"); session_start(); $_SESSION["who"] = "one, later"; session_write_close();', $files);
echo "again: ", json_encode(rustenc_import_files($src, $dst)), "\n";
clearstatcache();
var_dump(array_map(fn($id) => file_get_contents(rustenc_file($dst, $id)), $ids) === $stored);
echo $read($ids['one'], $dst);
echo "sources: ", count(glob("$src/sess_*")), "\n";

// Into an empty store, removing what was imported.
echo "remove: ", json_encode(rustenc_import_files($src, $dst2, true)), "\n";
echo "sources: ", count(glob("$src/sess_*")), "\n";
foreach ($ids as $id) {
    echo $read($id, $dst2);
}
echo "again: ", json_encode(rustenc_import_files($src, $dst2, true)), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-second');
rustenc_cleanup(rustenc_test() . '-files');
?>
--EXPECT--
first: {"ok":true,"imported":3,"skipped":0,"failed":0,"errors":[]}
again: {"ok":true,"imported":0,"skipped":3,"failed":0,"errors":[]}
bool(true)
{"who":"one"}
sources: 3
remove: {"ok":true,"imported":3,"skipped":0,"failed":0,"errors":[]}
sources: 0
{"who":"one, later"}
{"who":"two"}
{"who":"three"}
again: {"ok":true,"imported":0,"skipped":0,"failed":0,"errors":[]}
