--TEST--
A key of the wrong length is refused as malformed, and its value never appears in a warning
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=c2VjcmV0LXZhbHVl
RUSTENC_TEST_KEY=c2VjcmV0LXZhbHVl
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
var_dump(str_contains($out, 'c2VjcmV0'));
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";

// Almost right: 43 base64 characters, 63 and 65 hex characters, one character.
foreach (['AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
          '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1',
          '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0',
          'Q'] as $bad) {
    $out = rustenc_child('var_dump(session_start());', [], ['RUSTENC_KEY' => $bad]);
    echo $out;
    var_dump(str_contains($out, $bad));
}
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: it does not have the length of 32 bytes in base64 (44) or hex (64); expected 32 bytes as standard base64 (44 characters) or 64 hex characters; generate one with: head -c 32 /dev/urandom | base64 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-051) in %s on line %d
bool(false)
bool(false)
dir: []

Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: it does not have the length of 32 bytes in base64 (44) or hex (64); expected %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)

Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: it does not have the length of 32 bytes in base64 (44) or hex (64); expected %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)

Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: it does not have the length of 32 bytes in base64 (44) or hex (64); expected %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)

Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: it does not have the length of 32 bytes in base64 (44) or hex (64); expected %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)
dir: []
