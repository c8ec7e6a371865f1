--TEST--
After startup the key variables are gone from the environment: getenv(), $_SERVER, $_ENV, phpinfo(), /proc/self/environ and child processes do not see them; sessions still work; rustenc_check() reports a key put back with putenv()
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_PREVIOUS_KEYS=ERERERERERERERERERERERERERERERERERERERERERE=
--INI--
variables_order=EGPCS
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$key = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
$previous = 'ERERERERERERERERERERERERERERERERERERERERERE=';
$dir = rustenc_setup(rustenc_test());

echo "script:\n";
var_dump(getenv('RUSTENC_KEY'), getenv('RUSTENC_PREVIOUS_KEYS'));
var_dump(isset($_SERVER['RUSTENC_KEY']), isset($_ENV['RUSTENC_KEY']), isset(getenv()['RUSTENC_PREVIOUS_KEYS']));
ob_start();
phpinfo(INFO_ENVIRONMENT | INFO_VARIABLES);
$info = ob_get_clean();
var_dump(str_contains($info, $key), str_contains($info, $previous), str_contains($info, 'RUSTENC_KEY'));

echo "this process's memory image of its environment:\n";
$environ = file_get_contents('/proc/self/environ');
var_dump(str_contains($environ, $key), str_contains($environ, $previous), str_contains($environ, 'RUSTENC_KEY='));

echo "the stash that carries the keys across a reload is closed:\n";
var_dump(count(array_filter(glob('/proc/self/fd/*'), fn ($f) => str_contains((string)@readlink($f), 'rustenc-keys'))));

echo "child processes:\n";
// Only the key variables: other RUSTENC_ variables (a test harness's) may be there.
$env = shell_exec('env');
var_dump(preg_match('/^RUSTENC_(KEY|PREVIOUS_KEYS)=/m', $env), str_contains($env, $key), str_contains($env, $previous));
$p = proc_open(['sh', '-c', 'echo "[$RUSTENC_KEY]"'], [1 => ['pipe', 'w']], $pipes);
echo stream_get_contents($pipes[1]);
proc_close($p);

echo "sessions still use the key:\n";
session_start();
$_SESSION['n'] = 1;
$id = session_id();
session_write_close();
session_id($id);
session_start();
var_dump($_SESSION['n']);
session_write_close();
$r = rustenc_check();
var_dump($r['key']['ok'], count($r['key']['previous_ids']), $r['environment']['ok'], $r['environment']['visible']);

echo "a key put back is reported:\n";
putenv("RUSTENC_KEY=$key");
$r = rustenc_check();
var_dump($r['ok'], $r['environment']['ok'], $r['environment']['visible']);
echo $r['environment']['error'], "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
script:
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
this process's memory image of its environment:
bool(false)
bool(false)
bool(false)
the stash that carries the keys across a reload is closed:
int(0)
child processes:
int(0)
bool(false)
bool(false)
[]
sessions still use the key:
int(1)
bool(true)
int(1)
bool(true)
array(0) {
}
a key put back is reported:
bool(false)
bool(false)
array(1) {
  [0]=>
  string(11) "RUSTENC_KEY"
}
RUSTENC_KEY can be read by this request (getenv(), $_SERVER, child processes): rustenc removes the key variables at startup, so something put them back; remove env[RUSTENC_KEY] from the php-fpm pool, any fastcgi_param/SetEnv of them, and putenv() calls
