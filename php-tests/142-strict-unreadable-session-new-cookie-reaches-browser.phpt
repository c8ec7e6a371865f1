--TEST--
Strict mode, display_errors=1, php -S: a session file that does not open is reported without keeping the new id's cookie from the browser, so the user is not stuck with the unreadable id on every request
--EXTENSIONS--
session
--SKIPIF--
<?php
if (!function_exists('proc_open')) die('skip proc_open is disabled');
?>
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_strict_mode=1
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
$www = $dir . '-www';
@mkdir($www, 0700);
file_put_contents("$www/index.php",
    '<?php session_start(); $_SESSION["n"] = ($_SESSION["n"] ?? 0) + 1; echo "n=", $_SESSION["n"], "\n";');

$s = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
fclose($s);
$args = [PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(),
    '-d', 'session.save_handler=rustenc', '-d', 'session.save_path=' . $dir,
    '-d', 'session.use_strict_mode=1', '-d', 'display_errors=1', '-d', 'html_errors=0',
    '-d', 'rustenc.check_settings=0', '-S', "127.0.0.1:$port", '-t', $www];
$server = proc_open($args, [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']],
    $pipes, null, ['RUSTENC_KEY' => getenv('RUSTENC_TEST_KEY')]);

$cookie = '';
/** One request with the browser's cookie; takes a new one as a browser would. */
function visit(int $port, string &$cookie): string {
    $ctx = stream_context_create(['http' => ['header' => $cookie === '' ? '' : "Cookie: $cookie\r\n",
        'ignore_errors' => true, 'timeout' => 10]]);
    $body = (string)@file_get_contents("http://127.0.0.1:$port/", false, $ctx);
    foreach ($http_response_header ?? [] as $h) {
        if (preg_match('/^Set-Cookie: (PHPSESSID=[^;]+)/i', $h, $m)) {
            $cookie = $m[1];
        }
    }
    return $body;
}
for ($i = 0; $i < 50 && @fsockopen('127.0.0.1', $port) === false; $i++) {
    usleep(100000);
}

echo visit($port, $cookie), visit($port, $cookie);
$old = substr($cookie, strlen('PHPSESSID='));
$file = rustenc_file($dir, $old);
$bytes = file_get_contents($file);
$bytes[60] = chr(ord($bytes[60]) ^ 0x01);
file_put_contents($file, $bytes);

// The request that finds the file reports it; its reply carries a new cookie.
$out = visit($port, $cookie);
var_dump(str_contains($out, 'cannot be read: authentication failed'));
var_dump($cookie !== "PHPSESSID=$old");
// The browser is on the new session from then on: no warning, the count goes on.
echo visit($port, $cookie), visit($port, $cookie);
clearstatcache();
var_dump(file_get_contents($file) === $bytes);

proc_terminate($server);
proc_close($server);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
$www = rustenc_dir(rustenc_test()) . '-www';
@unlink("$www/index.php");
@rmdir($www);
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
n=1
n=2
bool(true)
bool(true)
n=%d
n=%d
bool(true)
