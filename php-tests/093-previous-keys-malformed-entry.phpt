--TEST--
A malformed entry in RUSTENC_PREVIOUS_KEYS is named by its position ("entry 2") in php --ri and session_start(), never shown, and no session is served
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

$keyA = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
$keyB = str_repeat('11', 32);
$secretLooking = 'hunter2-old-password';
$env = ['RUSTENC_KEY' => $keyB, 'RUSTENC_PREVIOUS_KEYS' => "$keyA,$secretLooking"];

$p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '--ri', 'rustenc'],
    [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env);
$ri = stream_get_contents($pipes[1]);
fclose($pipes[1]);
proc_close($p);
foreach (explode("\n", $ri) as $line) {
    if (str_starts_with($line, 'key') || str_starts_with($line, 'previous')) {
        echo $line, "\n";
    }
}

$out = rustenc_child('var_dump(session_start(), isset($_SESSION));', [], $env);
echo $out;
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";

foreach ([$ri, $out] as $text) {
    var_dump(str_contains($text, 'hunter2'), str_contains($text, $keyA), str_contains($text, $keyB));
}

// The same list without the bad entry loads.
$p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '--ri', 'rustenc'],
    [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, ['RUSTENC_KEY' => $keyB, 'RUSTENC_PREVIOUS_KEYS' => "$keyA,"]);
$ri = stream_get_contents($pipes[1]);
fclose($pipes[1]);
proc_close($p);
$idA = bin2hex(hash_hkdf('sha256', base64_decode($keyA), 8, 'rustenc v1 key id', 'rustenc'));
var_dump(str_contains($ri, "previous key ids => $idA\n"));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
key => NOT LOADED: the key in RUSTENC_PREVIOUS_KEYS (entry 2) is malformed: it does not have the length of 32 bytes in base64 (44) or hex (64); expected 32 bytes as standard base64 (44 characters) or 64 hex characters; generate one with: head -c 32 /dev/urandom | base64
keys read from => $RUSTENC_KEY, previous keys $RUSTENC_PREVIOUS_KEYS (at startup)

Warning: session_start(): rustenc: the key in RUSTENC_PREVIOUS_KEYS (entry 2) is malformed: %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)
dir: []
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(true)
