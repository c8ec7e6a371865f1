--TEST--
A key file its group or others can read (0640, 0604) is refused with "is mode …" and the chmod 0600 fix, in php --ri and session_start(); after chmod 0600 it works
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
$secret = base64_encode(str_repeat("\x42", 32));
file_put_contents($keyFile, "$secret\n");

function ri_key(string $keyFile): string {
    $p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', "rustenc.key_file=$keyFile", '--ri', 'rustenc'],
        [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, []);
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    proc_close($p);
    preg_match('/^key => .*$/m', $out, $m);
    return ($m[0] ?? 'no key line') . "\n";
}

$code = 'var_dump(session_start()); $_SESSION["x"] = 1;';
foreach ([0640, 0604, 0660, 0600] as $mode) {
    chmod($keyFile, $mode);
    printf("-- %04o\n", $mode);
    $ri = ri_key($keyFile);
    $out = rustenc_child($code, ['rustenc.key_file' => $keyFile], ['RUSTENC_KEY' => '']);
    echo str_replace($keyFile, 'KEYFILE', $ri . $out);
    var_dump(str_contains($ri . $out, $secret));
}
echo "files: ", count(glob("$dir/rustenc_*")), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-keys');
?>
--EXPECTF--
-- 0640
key => NOT LOADED: key file KEYFILE is mode 0640, so its group or others can read or change the key; run: chmod 0600 KEYFILE

Warning: session_start(): rustenc: key file KEYFILE is mode 0640, so its group or others can read or change the key; run: chmod 0600 KEYFILE in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)
-- 0604
key => NOT LOADED: key file KEYFILE is mode 0604, so its group or others can read or change the key; run: chmod 0600 KEYFILE

Warning: session_start(): rustenc: key file KEYFILE is mode 0604, so its group or others can read or change the key; run: chmod 0600 KEYFILE in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)
-- 0660
key => NOT LOADED: key file KEYFILE is mode 0660, so its group or others can read or change the key; run: chmod 0600 KEYFILE

Warning: session_start(): rustenc: key file KEYFILE is mode 0660, so its group or others can read or change the key; run: chmod 0600 KEYFILE in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)
-- 0600
key => loaded, key id %x
bool(true)
bool(false)
files: 1
