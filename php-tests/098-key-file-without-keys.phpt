--TEST--
A key file with only comments and blank lines is refused with a message about the key file, not about an "environment variable" named like the file
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
file_put_contents($keyFile, "# put the current key on the next line\n\n   \n# and retired keys below it\n");
chmod($keyFile, 0600);

$out = rustenc_child('var_dump(session_start());', ['rustenc.key_file' => $keyFile], ['RUSTENC_KEY' => '']);
echo preg_replace('/rustenc: .*? in Command/', 'rustenc: MESSAGE in Command', $out);
preg_match('/rustenc: (.*?) in Command line code/', $out, $m);
$message = $m[1] ?? '';
echo "message names the key file: "; var_dump(str_contains($message, "key file $keyFile"));
echo "message speaks of an environment variable: "; var_dump(str_contains($message, 'environment variable'));
echo "message suggests '$keyFile=…': "; var_dump(str_contains($message, "$keyFile=\$("));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-keys');
?>
--EXPECTF--
Warning: session_start(): rustenc: MESSAGE in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
message names the key file: bool(true)
message speaks of an environment variable: bool(false)
message suggests '%s=…': bool(false)
