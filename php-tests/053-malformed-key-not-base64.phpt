--TEST--
A 44-character key that is not canonical standard base64 of 32 bytes is refused as malformed, without echoing it
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A
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
var_dump(str_contains($out, 'AAECAwQFBgcICQoLDA0O'));

foreach ([
    'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh*=', // '*' is not base64
    '-_ECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=', // URL-safe alphabet
    'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=', // padding bits set
    'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGx==AAA=', // '=' inside
] as $bad) {
    $out = rustenc_child('var_dump(session_start());', [], ['RUSTENC_KEY' => $bad]);
    echo $out;
    var_dump(str_contains($out, substr($bad, 0, 20)));
}
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: 44 characters long but not standard base64 of 32 bytes; expected 32 bytes as standard base64 (44 characters) or 64 hex characters; generate one with: head -c 32 /dev/urandom | base64 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-053) in %s on line %d
bool(false)
bool(false)

Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: 44 characters long but not standard base64 of 32 bytes; %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)

Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: 44 characters long but not standard base64 of 32 bytes; %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)

Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: 44 characters long but not standard base64 of 32 bytes; %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)

Warning: session_start(): rustenc: the key in RUSTENC_KEY is malformed: 44 characters long but not standard base64 of 32 bytes; %s in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)
dir: []
