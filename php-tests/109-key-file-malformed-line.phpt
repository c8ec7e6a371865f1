--TEST--
A malformed key line in rustenc.key_file is named by its line number (counting comments), never shown, and no key is loaded
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=
RUSTENC_TEST_KEY=
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
$keyDir = rustenc_dir(rustenc_test() . '-keys');
rustenc_cleanup(rustenc_test() . '-keys');
mkdir($keyDir, 0700);
$keyFile = "$keyDir/rustenc.key";
$good = str_repeat('42', 32);
file_put_contents($keyFile, "# current\n$good\n# retired\nold-passphrase-do-not-print\n");
chmod($keyFile, 0600);

$p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', "rustenc.key_file=$keyFile", '--ri', 'rustenc'],
    [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, []);
$ri = stream_get_contents($pipes[1]);
fclose($pipes[1]);
proc_close($p);
preg_match('/^key => .*$/m', $ri, $m);
echo str_replace($keyFile, 'KEYFILE', $m[0] ?? 'no key line'), "\n";
$out = rustenc_child('var_dump(session_start());', ['rustenc.key_file' => $keyFile], ['RUSTENC_KEY' => '']);
echo str_replace($keyFile, 'KEYFILE', $out);
var_dump(str_contains($ri . $out, 'passphrase'), str_contains($ri . $out, $good));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-keys');
?>
--EXPECTF--
key => NOT LOADED: the key in KEYFILE line 4 is malformed: it does not have the length of 32 bytes in base64 (44) or hex (64); expected 32 bytes as standard base64 (44 characters) or 64 hex characters; generate one with: head -c 32 /dev/urandom | base64

Warning: session_start(): rustenc: the key in KEYFILE line 4 is malformed: %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)
bool(false)
