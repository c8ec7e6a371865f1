--TEST--
A second request for a locked session waits until the first one closes, then sees its write
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

/** Starts $code in a second PHP process (same extension and INI) without waiting for it. */
function spawn(string $code) {
    $args = [PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so()];
    foreach (['session.save_handler', 'session.save_path', 'session.use_strict_mode',
              'session.gc_maxlifetime', 'session.lazy_write'] as $k) {
        array_push($args, '-d', "$k=" . ini_get($k));
    }
    foreach (['session.use_cookies' => '0', 'session.cache_limiter' => '', 'session.gc_probability' => '0',
              'display_errors' => '1', 'log_errors' => '0', 'html_errors' => '0'] as $k => $v) {
        array_push($args, '-d', "$k=$v");
    }
    array_push($args, '-r', $code);
    $p = proc_open($args, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, ['RUSTENC_KEY' => getenv('RUSTENC_TEST_KEY')]);
    return [$p, $pipes[1]];
}

session_start();
$id = session_id();
$_SESSION['n'] = 0;
session_write_close();

[$proc, $out] = spawn('session_id("' . $id . '"); session_start(); echo "child holds n=", $_SESSION["n"], "\n";
usleep(1000000); $_SESSION["n"] = 1; session_write_close(); echo "child wrote n=1\n";');
echo fgets($out);
usleep(200000);

session_id($id);
$t = microtime(true);
var_dump(session_start());
$waited = microtime(true) - $t;
var_dump($_SESSION['n']);
var_dump($waited >= 0.7);
if ($waited < 0.7) echo "waited only $waited s\n";
$_SESSION['n']++;
session_write_close();

echo stream_get_contents($out);
fclose($out);
proc_close($proc);

// Without contention there is no wait.
session_id($id);
$t = microtime(true);
session_start();
var_dump($_SESSION['n'], microtime(true) - $t < 0.5);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
child holds n=0
bool(true)
int(1)
bool(true)
child wrote n=1
int(2)
bool(true)
