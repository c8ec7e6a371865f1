--TEST--
A missing key file: php --ri says NOT LOADED naming the file, session_start() warns "cannot read the key file …" and fails, and RUSTENC_KEY is not used instead
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
$keyFile = rustenc_dir(rustenc_test() . '-keys') . '/rustenc.key';
var_dump(file_exists($keyFile));

// The environment has a valid key: it must not be used as a fallback.
$env = ['RUSTENC_KEY' => getenv('RUSTENC_TEST_KEY')];
$p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', "rustenc.key_file=$keyFile", '--ri', 'rustenc'],
    [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env);
$ri = stream_get_contents($pipes[1]);
fclose($pipes[1]);
proc_close($p);
foreach (explode("\n", $ri) as $line) {
    if (str_starts_with($line, 'key')) {
        echo $line, "\n";
    }
}
echo rustenc_child('var_dump(session_start(), isset($_SESSION));', ['rustenc.key_file' => $keyFile], $env);
echo "files: ", count(glob("$dir/*")), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
bool(false)
key => NOT LOADED: cannot read the key file %s/rustenc-phpt-097-keys/rustenc.key: No such file or directory (os error 2)
keys read from => key file %s/rustenc-phpt-097-keys/rustenc.key (at startup)

Warning: session_start(): rustenc: cannot read the key file %s/rustenc-phpt-097-keys/rustenc.key: No such file or directory (os error 2) in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
bool(false)
files: 0
