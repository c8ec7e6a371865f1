--TEST--
Under open_basedir, rustenc_gc() and rustenc_import_files() refuse directories outside it (another site's sessions stay), and an empty session.save_path does not fall back to a default directory outside it
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
ob_start(); // session settings change below, after output
// Two sites: this one may open $mine only; $theirs is another site's.
$mine = rustenc_setup(rustenc_test());
$theirs = rustenc_setup(rustenc_test() . '-theirs');
$files = rustenc_dir(rustenc_test() . '-files');
rustenc_cleanup(rustenc_test() . '-files');
mkdir($files, 0700);
file_put_contents("$files/sess_planted1", 'admin|b:1;');
session_start();
$_SESSION['user'] = 'theirs';
$theirId = session_id();
session_write_close();
touch(rustenc_file($theirs, $theirId), time() - 60);
ini_set('session.save_path', $mine);
ini_set('open_basedir', $mine . PATH_SEPARATOR . __DIR__);

echo "gc of another site's directory:\n";
var_dump(rustenc_gc($theirs, 0));
var_dump(trim(shell_exec('ls ' . escapeshellarg($theirs))) === 'rustenc_' . $theirId);
echo "gc of this site's directory:\n";
var_dump(rustenc_gc($mine, 0));
var_dump(rustenc_gc());
echo "import from or into a directory outside open_basedir:\n";
$r = rustenc_import_files($files, $mine);
var_dump($r['ok'], $r['imported']);
$r = rustenc_import_files($mine, $theirs);
var_dump($r['ok'], $r['imported']);
echo "the default session directory:\n";
ini_set('session.save_path', '');
var_dump(session_start());
var_dump(rustenc_gc());
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-theirs');
rustenc_cleanup(rustenc_test() . '-files');
?>
--EXPECTF--
gc of another site's directory:

Warning: rustenc_gc(): rustenc: %s/rustenc-phpt-131-theirs is outside open_basedir (%s): rustenc touches only directories this script may open; run it from the command line without open_basedir, or add the directory to open_basedir in %s on line %d
int(-1)
bool(true)
gc of this site's directory:
int(0)
int(0)
import from or into a directory outside open_basedir:

Warning: rustenc_import_files(): rustenc: %s/rustenc-phpt-131-files is outside open_basedir %s
bool(false)
int(0)

Warning: rustenc_import_files(): rustenc: %s/rustenc-phpt-131-theirs is outside open_basedir %s
bool(false)
int(0)
the default session directory:

Warning: session_start(): rustenc: the default session dir: %s is outside open_basedir %s

Warning: session_start(): Failed to initialize storage module: rustenc (path: ) in %s on line %d
bool(false)

Warning: rustenc_gc(): rustenc: the default session dir: %s is outside open_basedir %s
int(-1)
