--TEST--
rustenc_import_files() waits for a files-handler request that holds a session and imports what that request wrote (not the old data, not a torn write); with a lock timeout shorter than the request it reports the session as locked and a later run imports it
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
rustenc.lock_timeout_ms=10000
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dst = rustenc_setup(rustenc_test());
$src = rustenc_dir(rustenc_test() . '-files');
rustenc_cleanup(rustenc_test() . '-files');
mkdir($src, 0700);
$files = ['session.save_handler' => 'files', 'session.save_path' => $src];

/** Starts a files-handler request that holds session $id for $ms ms; returns once it holds the lock. */
function hold(string $id, int $ms, array $ini): array {
    $args = [PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so()];
    foreach ($ini + ['session.use_cookies' => '0', 'session.cache_limiter' => '', 'session.use_strict_mode' => '1',
                     'display_errors' => '1', 'error_reporting' => (string)E_ALL] as $k => $v) {
        $args[] = '-d';
        $args[] = "$k=\"$v\"";
    }
    $args[] = '-r';
    $args[] = 'session_id("' . $id . '"); session_start(); echo "holding ", $_SESSION["step"], "\n"; fflush(STDOUT);'
        . ' $_SESSION["step"] = "final"; $_SESSION["n"]++; $_SESSION["pad"] = str_repeat("z", 20000);'
        . ' usleep(' . ($ms * 1000) . '); session_write_close(); echo "written\n";';
    $p = proc_open($args, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
    echo fgets($pipes[1]);
    return [$p, $pipes[1]];
}
function release(array $h): void {
    echo stream_get_contents($h[1]);
    fclose($h[1]);
    proc_close($h[0]);
}
$read = fn(string $id) => rustenc_child('session_id("' . $id . '"); session_start();'
    . ' echo $_SESSION["step"], " n=", $_SESSION["n"], " pad=", strlen($_SESSION["pad"]), "\n";',
    ['session.save_handler' => 'rustenc', 'session.save_path' => $dst]);
$create = fn() => trim(rustenc_child('session_start(); $_SESSION = ["step" => "old", "n" => 1, "pad" => str_repeat("x", 50)]; echo session_id();', $files));

echo "-- import waits\n";
$id = $create();
$h = hold($id, 1500, $files);
$t = microtime(true);
$r = rustenc_import_files($src, $dst);
$waited = microtime(true) - $t;
release($h);
echo json_encode($r), "\n";
echo "waited for the request: ", $waited >= 1.0 ? 'yes' : sprintf('NO (%.2f s)', $waited), "\n";
echo $read($id);

echo "-- lock timeout shorter than the request\n";
$id2 = $create();
ini_set('rustenc.lock_timeout_ms', '200');
$h = hold($id2, 1500, $files);
$r = rustenc_import_files($src, $dst);
echo str_replace(substr($id2, 0, 6), 'PREFIX', json_encode($r, JSON_UNESCAPED_UNICODE)), "\n";
var_dump(str_contains(json_encode($r), $id2), file_exists(rustenc_file($dst, $id2)));
release($h);
$r = rustenc_import_files($src, $dst);
echo json_encode($r), "\n";
echo $read($id2);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-files');
?>
--EXPECT--
-- import waits
holding old
written
{"ok":true,"imported":1,"skipped":0,"failed":0,"errors":[]}
waited for the request: yes
final n=2 pad=20000
-- lock timeout shorter than the request
holding old
{"ok":false,"imported":0,"skipped":1,"failed":1,"errors":["session PREFIX… is locked by another request and the lock was not released within 200 ms (rustenc.lock_timeout_ms); the request stops here rather than run without the lock"]}
bool(false)
bool(false)
written
{"ok":true,"imported":1,"skipped":1,"failed":0,"errors":[]}
final n=2 pad=20000
