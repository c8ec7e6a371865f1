--TEST--
A key file laid out like a systemd credential (…/credentials/php8.2-fpm.service/rustenc_key, mode 0400, no trailing newline) is read, and php --ri names it
--EXTENSIONS--
session
--SKIPIF--
<?php
if (trim((string)shell_exec('id -u')) !== '0') die('skip needs root (credentials are owned by root)');
?>
--ENV--
RUSTENC_KEY=
RUSTENC_TEST_KEY=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
$base = rustenc_dir(rustenc_test() . '-run');
rustenc_cleanup(rustenc_test() . '-run');
$credDir = "$base/credentials/php8.2-fpm.service";
mkdir($credDir, 0700, true);
$keyFile = "$credDir/rustenc_key";
$raw = random_bytes(32);
file_put_contents($keyFile, base64_encode($raw));   // systemd-creds stores it as given
chmod($keyFile, 0400);
chmod($credDir, 0500);
clearstatcache();
printf("mode %04o, owner %d\n", fileperms($keyFile) & 07777, fileowner($keyFile));
$keyId = bin2hex(hash_hkdf('sha256', $raw, 8, 'rustenc v1 key id', 'rustenc'));

$p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', "rustenc.key_file=$keyFile", '--ri', 'rustenc'],
    [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, []);
$ri = stream_get_contents($pipes[1]);
fclose($pipes[1]);
proc_close($p);
var_dump(str_contains($ri, "key => loaded, key id $keyId\n"));
var_dump(str_contains($ri, "previous key ids => none\n"));
var_dump(str_contains($ri, "keys read from => key file $keyFile (at startup)\n"));

$ini = ['rustenc.key_file' => $keyFile];
$sid = trim(rustenc_child('session_start(); $_SESSION["via"] = "credential"; echo session_id();', $ini, ['RUSTENC_KEY' => '']));
$bytes = file_get_contents(rustenc_file($dir, $sid));
var_dump(bin2hex(substr(rustenc_newest($bytes)[1], 5, 8)) === $keyId);
echo rustenc_child('session_id("' . $sid . '"); session_start(); var_dump(session_id() === "' . $sid . '"); echo json_encode($_SESSION), "\n";', $ini, ['RUSTENC_KEY' => '']);
// The same secret from the environment opens it too.
echo rustenc_child('session_id("' . $sid . '"); session_start(); echo json_encode($_SESSION), "\n";', [], ['RUSTENC_KEY' => bin2hex($raw)]);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
@chmod(rustenc_dir(rustenc_test() . '-run') . '/credentials/php8.2-fpm.service', 0700);
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-run');
?>
--EXPECT--
mode 0400, owner 0
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
{"via":"credential"}
{"via":"credential"}
