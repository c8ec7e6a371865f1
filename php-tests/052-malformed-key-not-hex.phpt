--TEST--
A 64-character key that is not hex is refused as malformed, without echoing it
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnmqwertyuiopas
RUSTENC_TEST_KEY=qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnmqwertyuiopas
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

ob_start();
var_dump(session_start());
$out = ob_get_clean();
echo $out;
var_dump(str_contains($out, 'qwertyuiop'));

// Hex except for the last character; and hex with a space inside.
foreach (['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g',
          '000102030405060708090a0b0c0d0e0f 01112131415161718191a1b1c1d1e1f'] as $bad) {
    $out = rustenc_child('var_dump(session_start());', [], ['RUSTENC_KEY' => $bad]);
    echo $out;
    var_dump(str_contains($out, substr($bad, 0, 16)));
}
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: 64 characters long but not hex; expected 32 bytes as standard base64 (44 characters) or 64 hex characters; generate one with: head -c 32 /dev/urandom | base64 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-052) in %s on line %d
bool(false)
bool(false)

Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: 64 characters long but not hex; %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)

Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: 64 characters long but not hex; %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)
dir: []
