--TEST--
rustenc_import_files(): sessions written by PHP's own files handler (depth 0 and "1;/dir") are served unchanged after switching save_handler to rustenc, with no plaintext on disk, the original timestamps, and the source untouched
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
$src = rustenc_dir(rustenc_test() . '-files');
$srcDeep = rustenc_dir(rustenc_test() . '-files-deep');
rustenc_cleanup(rustenc_test() . '-files');
rustenc_cleanup(rustenc_test() . '-files-deep');
mkdir($src, 0700);
mkdir($srcDeep, 0700);
foreach (str_split('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,-') as $c) {
    mkdir("$srcDeep/$c", 0700);
}

$sessions = [
    'plain' => ['user' => 'alice', 'role' => 'PLAINTEXT-MARKER-admin', 'n' => 41],
    'nested' => ['cart' => ['items' => [['sku' => 'MARKER-SKU-1', 'qty' => 2]], 'total' => 19.5], 'flags' => [true, false, null]],
    'binary' => ['blob' => "\x00\x01MARKER-BIN\xff\xfe|;:\"", 'obj' => (object)['k' => 'MARKER-OBJ']],
    'deep' => ['user' => 'bob', 'note' => 'MARKER-DEEP'],
];
$ids = [];
foreach ($sessions as $name => $data) {
    $path = $name === 'deep' ? "1;$srcDeep" : $src;
    $ids[$name] = trim(rustenc_child(
        'session_start(); $_SESSION = unserialize(base64_decode("' . base64_encode(serialize($data)) . '")); echo session_id();',
        ['session.save_handler' => 'files', 'session.save_path' => $path]));
}
$sourceOf = fn($name) => $name === 'deep'
    ? "$srcDeep/{$ids['deep'][0]}/sess_{$ids['deep']}" : "$src/sess_{$ids[$name]}";
foreach ($sessions as $name => $_) {
    if (!is_file($sourceOf($name)) || !str_contains(file_get_contents($sourceOf($name)), 'MARKER')) {
        echo "no files-handler session for $name\n";
    }
}
// One session was last used an hour ago.
touch($sourceOf('plain'), time() - 3600);
clearstatcache();

function fingerprint(array $files): array {
    clearstatcache();
    return array_map(fn($f) => [hash_file('sha256', $f), filemtime($f), fileinode($f), fileperms($f)], $files);
}
$sources = array_map($sourceOf, array_combine(array_keys($sessions), array_keys($sessions)));
$before = fingerprint($sources);

$r1 = rustenc_import_files($src, $dst);
$r2 = rustenc_import_files("1;$srcDeep");      // to: session.save_path
echo json_encode($r1), "\n", json_encode($r2), "\n";

var_dump(fingerprint($sources) === $before);

// The store: one file per session, no plaintext, the source's mtime, 0600.
$stored = glob("$dst/rustenc_*");
echo "stored: ", count($stored), "\n";
foreach ($sessions as $name => $_) {
    $file = rustenc_file($dst, $ids[$name]);
    clearstatcache();
    $bytes = file_get_contents($file);
    printf("%s: RENC %s, marker %s, mtime %s, mode %04o\n", $name,
        var_export(str_starts_with(rustenc_newest($bytes)[1], "RENC\x02"), true),
        str_contains($bytes, 'MARKER') ? 'VISIBLE' : 'hidden',
        filemtime($file) === $before[$name][1] ? 'kept' : 'CHANGED',
        fileperms($file) & 07777);
}

// Switch the handler: the same ids see the same data.
foreach ($sessions as $name => $data) {
    $out = rustenc_child('session_id("' . $ids[$name] . '"); session_start();'
        . ' echo session_id() === "' . $ids[$name] . '" ? "same id" : "NEW ID", "\\t", base64_encode(serialize($_SESSION));',
        ['session.save_handler' => 'rustenc', 'session.save_path' => $dst]);
    [$same, $got] = explode("\t", $out, 2) + [1 => ''];
    echo "$name: $same, ", $got === base64_encode(serialize($data)) ? 'same data' : "DIFFERENT: $out", "\n";
}
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-files');
rustenc_cleanup(rustenc_test() . '-files-deep');
?>
--EXPECT--
{"ok":true,"imported":3,"skipped":0,"failed":0,"errors":[]}
{"ok":true,"imported":1,"skipped":0,"failed":0,"errors":[]}
bool(true)
stored: 4
plain: RENC true, marker hidden, mtime kept, mode 0600
nested: RENC true, marker hidden, mtime kept, mode 0600
binary: RENC true, marker hidden, mtime kept, mode 0600
deep: RENC true, marker hidden, mtime kept, mode 0600
plain: same id, same data
nested: same id, same data
binary: same id, same data
deep: same id, same data
