--TEST--
Key rotation with lazy_write: an unchanged session sealed with retired key A is resealed with current key B by the request that reads it (same data), while without rotation it is only touched
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
$dir = rustenc_setup(rustenc_test());

$keyA = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
$keyB = str_repeat('11', 32);
$idA = bin2hex(hash_hkdf('sha256', base64_decode($keyA), 8, 'rustenc v1 key id', 'rustenc'));
$idB = bin2hex(hash_hkdf('sha256', hex2bin($keyB), 8, 'rustenc v1 key id', 'rustenc'));

$sid = trim(rustenc_child('session_start(); $_SESSION["user"] = "carol"; echo session_id();', [], ['RUSTENC_KEY' => $keyA]));
$file = rustenc_file($dir, $sid);
$sealedByA = file_get_contents($file);
var_dump(bin2hex(substr(rustenc_newest($sealedByA)[1], 5, 8)) === $idA);

// Control: a request with only key A that leaves the session unchanged
// touches the file; its bytes stay the same.
$read = 'session_id("' . $sid . '"); var_dump(session_start(), session_id() === "' . $sid . '");'
    . ' echo json_encode($_SESSION), "\n"; var_dump(session_write_close());';
echo rustenc_child($read, [], ['RUSTENC_KEY' => $keyA]);
clearstatcache();
var_dump(file_get_contents($file) === $sealedByA);

// B current, A retired: the same unchanged request reseals with B.
echo rustenc_child($read, [], ['RUSTENC_KEY' => $keyB, 'RUSTENC_PREVIOUS_KEYS' => $keyA]);
clearstatcache();
$after = file_get_contents($file);
var_dump($after !== $sealedByA);
$after = rustenc_newest($after)[1];
echo "key id now: ", bin2hex(substr($after, 5, 8)) === $idB ? "B" : bin2hex(substr($after, 5, 8)), "\n";
var_dump(strlen($after) === strlen(rustenc_newest($sealedByA)[1]), str_contains($after, 'carol'));

// So a process with only B (A dropped) still serves it.
echo rustenc_child($read, [], ['RUSTENC_KEY' => $keyB]);
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
{"user":"carol"}
bool(true)
bool(true)
bool(true)
bool(true)
{"user":"carol"}
bool(true)
bool(true)
key id now: B
bool(true)
bool(false)
bool(true)
bool(true)
{"user":"carol"}
bool(true)
