--TEST--
rustenc_import_files() reports source files it cannot import (invalid id in the name, empty id, hard link) in errors with at most 6 characters of the id, imports the rest, ignores other files and never follows a symbolic link
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.gc_maxlifetime=86400
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dst = rustenc_setup(rustenc_test());
$src = rustenc_dir(rustenc_test() . '-files');
$outside = rustenc_dir(rustenc_test() . '-outside');
rustenc_cleanup(rustenc_test() . '-files');
rustenc_cleanup(rustenc_test() . '-outside');
mkdir($src, 0700);
mkdir($outside, 0700);

$good = trim(rustenc_child('session_start(); $_SESSION["who"] = "good"; echo session_id();',
    ['session.save_handler' => 'files', 'session.save_path' => $src]));
file_put_contents("$src/sess_abcdefgh.ijkl", 'who|s:3:"bad";');
file_put_contents("$src/sess_", 'who|s:5:"empty";');
file_put_contents("$src/sess_hardlinked42", 'who|s:4:"hard";');
link("$src/sess_hardlinked42", "$outside/other-name");
file_put_contents("$outside/secret", 'who|s:6:"SECRET";');
symlink("$outside/secret", "$src/sess_symlinked42");
file_put_contents("$src/README", 'not a session');

$r = rustenc_import_files($src, $dst);
echo json_encode(['ok' => $r['ok'], 'imported' => $r['imported'], 'skipped' => $r['skipped'], 'failed' => $r['failed']]), "\n";
sort($r['errors']);
foreach ($r['errors'] as $e) {
    echo str_replace($src, 'SRC', $e), "\n";
}
$all = implode("\n", $r['errors']);
foreach (['abcdefg', 'hardlin', 'symlink', 'SECRET'] as $leak) {
    echo "$leak: ", str_contains($all, $leak) ? 'SHOWN' : 'not shown', "\n";
}
echo "stored: ", json_encode(array_map('basename', glob("$dst/*"))) === json_encode(["rustenc_$good"]) ? 'only the good session' : json_encode(array_map('basename', glob("$dst/*"))), "\n";
echo rustenc_child('session_id("' . $good . '"); session_start(); echo json_encode($_SESSION), "\n";',
    ['session.save_handler' => 'rustenc', 'session.save_path' => $dst]);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-files');
rustenc_cleanup(rustenc_test() . '-outside');
?>
--EXPECT--
{"ok":false,"imported":1,"skipped":0,"failed":3}
session file for id hardli… in SRC is not a regular file with one name; refusing to use it (it was left in place: remove it once you know where it came from)
session id abcdef… is invalid: it holds characters outside A-Z a-z 0-9 , -; ids use only A-Z a-z 0-9 , - and are 1 to 256 characters long
session id … is invalid: it is empty; ids use only A-Z a-z 0-9 , - and are 1 to 256 characters long
abcdefg: not shown
hardlin: not shown
symlink: not shown
SECRET: not shown
stored: only the good session
{"who":"good"}
