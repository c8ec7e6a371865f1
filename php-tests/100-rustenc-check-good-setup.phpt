--TEST--
rustenc_check() on a good setup: ok, the key id HKDF gives, directory owner and mode, a probe that leaves no file behind, strict settings; retired key ids listed
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=1
session.use_only_cookies=1
session.use_strict_mode=1
session.sid_length=32
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
ob_start(); // session INI and cookies stay changeable after output
$dir = rustenc_setup(rustenc_test());
$keyId = bin2hex(hash_hkdf('sha256', base64_decode(getenv('RUSTENC_TEST_KEY')), 8, 'rustenc v1 key id', 'rustenc'));

function files_below(string $dir): array {
    $files = [];
    $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS));
    foreach ($it as $f) {
        $files[] = substr($f->getPathname(), strlen($dir) + 1);
    }
    return $files;
}

$r = rustenc_check();
var_dump($r['ok']);
var_dump($r['key']['ok'], $r['key']['id'] === $keyId, $r['key']['previous_ids'], $r['key']['error']);
echo $r['key']['source'], "\n";
var_dump($r['save_path']['ok'], $r['save_path']['dir'] === $dir, $r['save_path']['depth'], $r['save_path']['mode']);
var_dump($r['directory']['ok'], $r['directory']['owner'], $r['directory']['mode'], $r['directory']['error']);
var_dump($r['probe']['ok'], $r['probe']['error']);
var_dump($r['settings']['ok'], $r['settings']['weak']);
echo "left behind: ", json_encode(files_below($dir)), "\n";

// A checked directory then works for real sessions.
var_dump(session_start());
$_SESSION['ok'] = 1;
session_write_close();
echo "sessions: ", count(glob("$dir/rustenc_*")), "\n";

// With depth 2: still ok, and no probe session left in any subdirectory.
array_map('unlink', glob("$dir/rustenc_*"));
ini_set('session.save_path', "2;$dir");
$r = rustenc_check();
var_dump($r['ok'], $r['save_path']['depth'], $r['probe']['ok']);
echo "files left behind: ", json_encode(array_values(array_filter(files_below($dir), fn($f) => is_file("$dir/$f")))), "\n";

// Retired keys are listed by id (a child process: keys are read at startup).
$keyA = getenv('RUSTENC_TEST_KEY');
$keyB = str_repeat('11', 32);
$idB = bin2hex(hash_hkdf('sha256', hex2bin($keyB), 8, 'rustenc v1 key id', 'rustenc'));
echo rustenc_child('$r = rustenc_check(); echo json_encode([$r["ok"], $r["key"]["id"], $r["key"]["previous_ids"]]), "\n";',
    ['session.save_path' => $dir, 'session.use_strict_mode' => '1', 'session.sid_length' => '32', 'session.use_only_cookies' => '1'],
    ['RUSTENC_KEY' => $keyB, 'RUSTENC_PREVIOUS_KEYS' => $keyA]) === json_encode([true, $idB, [$keyId]]) . "\n"
    ? "rotation ids ok\n" : "rotation ids WRONG\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
array(0) {
}
NULL
$RUSTENC_KEY, previous keys $RUSTENC_PREVIOUS_KEYS
bool(true)
bool(true)
int(0)
string(4) "0600"
bool(true)
string(4) "root"
string(4) "0700"
NULL
bool(true)
NULL
bool(true)
array(0) {
}
left behind: []
bool(true)
sessions: 1
bool(true)
int(2)
bool(true)
files left behind: []
rotation ids ok
