--TEST--
rustenc.key_file (0600, owned by root): first key line is current, later lines retired, comments and blank lines skipped; it replaces RUSTENC_KEY, and php --ri names the file
--EXTENSIONS--
session
--SKIPIF--
<?php
if (trim((string)shell_exec('id -u')) !== '0') die('skip needs root (the key file is owned by root)');
?>
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
$keyDir = rustenc_dir(rustenc_test() . '-keys');
rustenc_cleanup(rustenc_test() . '-keys');
mkdir($keyDir, 0700);

$keyA = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
$keyB = str_repeat('11', 32);
$keyC = base64_encode(str_repeat("\x42", 32));
$kid = fn(string $raw) => bin2hex(hash_hkdf('sha256', $raw, 8, 'rustenc v1 key id', 'rustenc'));
$idA = $kid(base64_decode($keyA));
$idB = $kid(hex2bin($keyB));
$idC = $kid(base64_decode($keyC));

$keyFile = "$keyDir/rustenc.key";
file_put_contents($keyFile, "# rustenc keys: current first\n  $keyB  \n\n# retired 2026-11-01\n$keyA\n");
chmod($keyFile, 0600);
clearstatcache();
printf("key file: owner %d, mode %04o\n", fileowner($keyFile), fileperms($keyFile) & 07777);

// The environment holds a third key C: with a key file it is not used.
$fileIni = ['rustenc.key_file' => $keyFile];
$envC = ['RUSTENC_KEY' => $keyC];

$p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', "rustenc.key_file=$keyFile", '--ri', 'rustenc'],
    [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $envC);
$ri = stream_get_contents($pipes[1]);
fclose($pipes[1]);
proc_close($p);
var_dump(str_contains($ri, "key => loaded, key id $idB\n"));
var_dump(str_contains($ri, "previous key ids => $idA\n"));
var_dump(str_contains($ri, "keys read from => key file $keyFile (at startup)\n"));
var_dump(str_contains($ri, $idC), str_contains($ri, $keyB), str_contains($ri, $keyA));

// A session sealed with A (from the environment) ...
$sid = trim(rustenc_child('session_start(); $_SESSION["user"] = "dave"; echo session_id();', [], ['RUSTENC_KEY' => $keyA]));
$file = rustenc_file($dir, $sid);
var_dump(bin2hex(substr(rustenc_envelope($file), 5, 8)) === $idA);

// ... is read with the key file's retired key and rewritten with its current key.
echo rustenc_child('session_id("' . $sid . '"); var_dump(session_start(), session_id() === "' . $sid . '");'
    . ' echo json_encode($_SESSION), "\n"; $_SESSION["n"] = 1; var_dump(session_write_close());', $fileIni, $envC);
clearstatcache();
echo "now sealed with: ", match (bin2hex(substr(rustenc_envelope($file), 5, 8))) { $idB => 'B', $idC => 'C (the environment!)', $idA => 'A', default => '?' }, "\n";

// A process with B in the environment reads it.
echo rustenc_child('session_id("' . $sid . '"); session_start(); echo json_encode($_SESSION), "\n";', [], ['RUSTENC_KEY' => $keyB]);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-keys');
?>
--EXPECT--
key file: owner 0, mode 0600
bool(true)
bool(true)
bool(true)
bool(false)
bool(false)
bool(false)
bool(true)
bool(true)
bool(true)
{"user":"dave"}
bool(true)
now sealed with: B
{"user":"dave","n":1}
