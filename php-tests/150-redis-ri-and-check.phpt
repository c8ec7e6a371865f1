--TEST--
Redis save path: php --ri rustenc and rustenc_check() report the store, the server's version, scripted lock primitives, where the password comes from (in save_path: weak), and an unreachable server by host:port without the password
--EXTENSIONS--
session
--SKIPIF--
<?php
require __DIR__ . '/inc/redis.inc';
if (!rustenc_redis_binary()) die('skip redis-server is not installed (scripts/setup installs it)');
?>
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=1
session.use_only_cookies=1
session.use_strict_mode=1
session.sid_length=32
session.cache_limiter=
session.save_handler=rustenc
--FILE--
<?php
require __DIR__ . '/inc/redis.inc';
require __DIR__ . '/inc/rustenc.inc';
ob_start(); // session INI stays changeable after output
$port = rustenc_redis_start(['--requirepass', 'pw-in-path']);

function ri(string $savePath, array $env = [], array $args = ['--ri', 'rustenc']): string {
    $cmd = array_merge([PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', 'session.save_handler=rustenc',
        '-d', 'session.save_path="' . $savePath . '"'], $args);
    $env += ['RUSTENC_KEY' => getenv('RUSTENC_TEST_KEY')];
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env);
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    proc_close($p);
    return $out;
}

$out = ri("tcp://127.0.0.1:$port?auth=pw-in-path&database=1");
var_dump(str_contains($out, 'session store => redis (single server, TCP)'));
var_dump(str_contains($out, "redis server => 127.0.0.1:$port database 1"));
var_dump((bool)preg_match('/^redis server version => redis \d+\.\d+\.\d+ \(reachable\)$/m', $out));
var_dump(str_contains($out, 'lock primitives => scripted'));
var_dump(str_contains($out, 'lock lease => 10000 ms (rustenc.lock_lease_ms: how long a crashed or frozen worker blocks a session; renewed every 3333 ms'));
var_dump(str_contains($out, 'lock max hold => 300000 ms (rustenc.lock_max_hold_ms: renewal stops after this'));
var_dump(str_contains($out, 'redis password => in session.save_path (weak'));
// The password from the environment, read at startup: not in phpinfo.
$out = ri("tcp://127.0.0.1:$port", ['RUSTENC_REDIS_PASSWORD' => 'pw-in-path']);
var_dump(str_contains($out, '(reachable)'), str_contains($out, 'pw-in-path'));
var_dump(str_contains($out, 'redis password => read at startup'));
// ... and removed from the environment, so no script sees it.
echo ri("tcp://127.0.0.1:$port", ['RUSTENC_REDIS_PASSWORD' => 'pw-in-path'],
    ['-r', 'var_dump(getenv("RUSTENC_REDIS_PASSWORD"), rustenc_check()["probe"]["ok"]);']);
// Or from a file named in php.ini, read at startup.
$file = tempnam(sys_get_temp_dir(), 'rustenc-pw');
file_put_contents($file, "pw-in-path\n");
$out = ri("tcp://127.0.0.1:$port", [], ['-d', "rustenc.redis_password_file=$file", '--ri', 'rustenc']);
var_dump(str_contains($out, '(reachable)'), str_contains($out, 'pw-in-path'));
// A password file others can read is refused, as a key file is.
chmod($file, 0644);
$out = ri("tcp://127.0.0.1:$port", [], ['-d', "rustenc.redis_password_file=$file", '-r', '']);
unlink($file);
var_dump(str_contains($out, "rustenc.redis_password_file $file is refused: it is mode 0644"));

ini_set('session.save_path', "tcp://127.0.0.1:$port?auth=pw-in-path");
$r = rustenc_check();
var_dump($r['ok'], $r['status']);
var_dump($r['store']['kind'], $r['store']['reachable'], $r['store']['error']);
var_dump((bool)preg_match('/^redis \d+\.\d+\.\d+$/', $r['store']['version']));
var_dump($r['probe']['ok'], $r['probe']['error']);
var_dump($r['save_path']['value'] === "tcp://127.0.0.1:$port?auth=***");
var_dump(str_contains(implode(' ', $r['settings']['weak']), 'password is in session.save_path'));
// The probe left nothing behind.
echo rustenc_redis_cmd($port, ['AUTH', 'pw-in-path'], ['DBSIZE']);

// A wrong password, and a server that is not there.
ini_set('session.save_path', "tcp://127.0.0.1:$port?auth=wrong-one");
$r = rustenc_check();
var_dump($r['status'], $r['store']['reachable'], str_contains($r['store']['error'], 'authentication refused'),
    str_contains($r['store']['error'], 'wrong-one'));
$probe = stream_socket_server('tcp://127.0.0.1:0');
$free = (int)substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
fclose($probe);
ini_set('session.save_path', "tcp://127.0.0.1:$free");
$r = rustenc_check();
var_dump($r['status'], str_contains($r['store']['error'], "127.0.0.1:$free: cannot connect: connection refused"));
var_dump($r['directory']['ok']);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(false)
bool(true)
bool(false)
bool(true)
bool(true)
bool(false)
bool(true)
bool(true)
int(2)
string(26) "redis (single server, TCP)"
bool(true)
NULL
bool(true)
bool(true)
NULL
bool(true)
bool(true)
+OK
:0
int(1)
bool(false)
bool(true)
bool(false)
int(1)
bool(true)
bool(true)
