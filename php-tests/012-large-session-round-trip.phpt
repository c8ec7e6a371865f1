--TEST--
A 256 KiB session round-trips across two processes and is stored encrypted
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

// 256 KiB of pseudo-random binary data (deterministic), plus a readable marker.
mt_srand(12);
$blob = '';
for ($i = 0; $i < 256 * 1024 / 4; $i++) {
    $blob .= pack('N', mt_rand());
}
$marker = str_repeat('PLAINTEXT-MARKER-', 1000);

session_start();
$id = session_id();
$_SESSION['blob'] = $blob;
$_SESSION['marker'] = $marker;
$encoded = session_encode();
var_dump(strlen($blob));
var_dump(session_write_close());

$bytes = file_get_contents(rustenc_file($dir, $id));
var_dump(strlen(rustenc_newest($bytes)[1]) === strlen($encoded) + 73);
var_dump(str_contains($bytes, 'PLAINTEXT-MARKER'), str_contains($bytes, substr($blob, 1000, 64)));

$out = rustenc_child('session_id(' . var_export($id, true) . '); session_start();
echo strlen($_SESSION["blob"]), " ", md5($_SESSION["blob"]), " ", md5($_SESSION["marker"]), "\n";
$_SESSION["blob"] .= "!";
var_dump(session_write_close());');
echo $out;
var_dump($out === strlen($blob) . ' ' . md5($blob) . ' ' . md5($marker) . "\nbool(true)\n");

session_id($id);
session_start();
var_dump($_SESSION['blob'] === $blob . '!', $_SESSION['marker'] === $marker);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
int(262144)
bool(true)
bool(true)
bool(false)
bool(false)
262144 %x %x
bool(true)
bool(true)
bool(true)
bool(true)
