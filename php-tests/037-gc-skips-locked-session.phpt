--TEST--
session_gc() does not remove an expired-looking session that another request holds locked
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
session.gc_maxlifetime=100
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
$held = session_id();
$_SESSION['user'] = 'busy';
session_write_close();
$file = rustenc_file($dir, $held);

[$proc, $out] = spawn('session_id("' . $held . '"); session_start(); echo "locked\n";
sleep(2); $_SESSION["seen"] = $_SESSION["user"]; session_write_close(); echo "done\n";');
echo fgets($out);

// While the holder sleeps, its file looks long expired to gc.
touch($file, time() - 1000);
session_id('');
session_start();
$t = microtime(true);
var_dump(session_gc());
// gc skips locked sessions rather than waiting for them.
var_dump(microtime(true) - $t < 1.0);
session_write_close();
clearstatcache();
var_dump(file_exists($file));

// The holder finishes normally, and its data is saved.
echo stream_get_contents($out);
fclose($out);
proc_close($proc);
session_id($held);
session_start();
var_dump($_SESSION);
session_write_close();

// Once nobody holds it, an expired session is removed.
touch($file, time() - 1000);
session_id('');
session_start();
var_dump(session_gc());
clearstatcache();
var_dump(file_exists($file));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
locked
int(0)
bool(true)
bool(true)
done
array(2) {
  ["user"]=>
  string(4) "busy"
  ["seen"]=>
  string(4) "busy"
}
int(1)
bool(false)
