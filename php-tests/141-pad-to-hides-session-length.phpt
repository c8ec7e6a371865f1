--TEST--
rustenc.pad_to=1024: sessions of 10 and 900 bytes give files of equal size, and read back exactly; without it the sizes differ
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
rustenc.pad_to=1024
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
echo "rustenc.pad_to = ", ini_get('rustenc.pad_to'), "\n";

function store(string $dir, string $id, int $len): int {
    session_id($id);
    session_start();
    // 'a|s:N:"…";' is N + 8 + (digits of N) bytes: exactly $len.
    $_SESSION['a'] = str_repeat('x', $len - 8 - strlen((string)($len - 8)));
    $n = strlen(session_encode());
    session_write_close();
    clearstatcache();
    // What is sealed: the newest envelope in the session's slot file.
    $sealed = strlen(rustenc_envelope(rustenc_file($dir, $id)));
    printf("%s: %d bytes of data, envelope %d bytes\n", $id, $n, $sealed);
    return $sealed;
}

$small = store($dir, 'padsmall', 10);
$large = store($dir, 'padlarge', 900);
var_dump($small === $large);

// Both read back exactly, in another process with the same setting.
echo rustenc_child('foreach (["padsmall", "padlarge"] as $id) { session_id($id); session_start();
echo $id, ": ", strlen($_SESSION["a"]), "\n"; session_write_close(); }', ['rustenc.pad_to' => '1024']);

// A session larger than the multiple takes the next one.
store($dir, 'padhuge', 1100);

// Off (the default): sizes follow the data.
ini_set('rustenc.pad_to', '0');
var_dump(store($dir, 'nopad', 10) !== store($dir, 'nopadlarge', 900));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
rustenc.pad_to = 1024
padsmall: 10 bytes of data, envelope 1089 bytes
padlarge: 900 bytes of data, envelope 1089 bytes
bool(true)
padsmall: 1
padlarge: 889
padhuge: 1100 bytes of data, envelope 2113 bytes
nopad: 10 bytes of data, envelope 83 bytes
nopadlarge: 900 bytes of data, envelope 973 bytes
bool(true)
