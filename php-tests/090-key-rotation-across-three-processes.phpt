--TEST--
Key rotation: a session sealed with key A is read by a process with B current and A previous, resealed with B on its next write, then read by a process that has only B
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
var_dump($idA !== $idB);

function key_id_of(string $file): string {
    clearstatcache();
    return bin2hex(substr(rustenc_envelope($file), 5, 8));
}

// Process 1: only key A.
$sid = trim(rustenc_child('session_start(); $_SESSION["user"] = "alice"; $_SESSION["cart"] = [1, 2, 3]; echo session_id();',
    [], ['RUSTENC_KEY' => $keyA]));
$file = rustenc_file($dir, $sid);
echo "after process 1: ", key_id_of($file) === $idA ? "sealed with A" : "NOT A: " . key_id_of($file), "\n";

// Process 2: B current, A retired. It reads A's session (strict mode accepts
// the id) and changes it; the write is sealed with B.
$rotated = ['RUSTENC_KEY' => $keyB, 'RUSTENC_PREVIOUS_KEYS' => $keyA];
echo rustenc_child('session_id("' . $sid . '"); var_dump(session_start(), session_id() === "' . $sid . '");'
    . ' echo json_encode($_SESSION), "\n"; $_SESSION["visits"] = 2; var_dump(session_write_close());',
    [], $rotated);
echo "after process 2: ", key_id_of($file) === $idB ? "sealed with B" : "NOT B: " . key_id_of($file), "\n";

// Process 3: only key B, no previous keys.
echo rustenc_child('session_id("' . $sid . '"); var_dump(session_start(), session_id() === "' . $sid . '");'
    . ' echo json_encode($_SESSION), "\n";', [], ['RUSTENC_KEY' => $keyB]);

// A process left with only key A no longer opens the resealed session.
$out = rustenc_child('session_id("' . $sid . '"); ini_set("session.use_strict_mode", "0"); var_dump(session_start());',
    [], ['RUSTENC_KEY' => $keyA]);
var_dump(str_contains($out, "sealed with unknown key id $idB"));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
after process 1: sealed with A
bool(true)
bool(true)
{"user":"alice","cart":[1,2,3]}
bool(true)
after process 2: sealed with B
bool(true)
bool(true)
{"user":"alice","cart":[1,2,3],"visits":2}
bool(true)
