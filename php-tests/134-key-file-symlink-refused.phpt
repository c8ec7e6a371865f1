--TEST--
rustenc.key_file naming a symbolic link is refused (the file is opened once, without following links, and checked and read through that descriptor); the file itself works
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=
RUSTENC_TEST_KEY=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$keyDir = rustenc_dir(rustenc_test() . '-keys');
rustenc_cleanup(rustenc_test() . '-keys');
mkdir($keyDir, 0700);
$real = "$keyDir/real.key";
$secret = base64_encode(str_repeat("\x42", 32));
file_put_contents($real, "$secret\n");
chmod($real, 0600);
symlink($real, "$keyDir/rustenc.key");

function ri_key(string $keyFile): string {
    $p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', "rustenc.key_file=$keyFile", '--ri', 'rustenc'],
        [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, []);
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    proc_close($p);
    if (str_contains($out, $GLOBALS['secret'])) {
        echo "LEAK\n";
    }
    preg_match('/^key => .*$/m', $out, $m);
    return str_replace($GLOBALS['keyDir'], 'KEYDIR', $m[0] ?? 'no key line') . "\n";
}
echo ri_key("$keyDir/rustenc.key");
echo ri_key($real);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test() . '-keys');
?>
--EXPECTF--
key => NOT LOADED: key file KEYDIR/rustenc.key is a symbolic link (rustenc does not follow links to key files); run: set rustenc.key_file to the file itself: KEYDIR/real.key
key => loaded, key id %x
