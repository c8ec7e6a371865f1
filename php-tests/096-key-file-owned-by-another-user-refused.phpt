--TEST--
A key file owned by another user (not the PHP user, not root) is refused with "is owned by …" and the chown fix; a www-data process accepts its own key file and refuses one owned by nobody
--EXTENSIONS--
session
--SKIPIF--
<?php
if (trim((string)shell_exec('id -u')) !== '0') die('skip needs root to chown');
if (!is_executable('/usr/bin/setpriv')) die('skip needs setpriv');
if (trim((string)shell_exec('id -u www-data 2>/dev/null')) === '' || trim((string)shell_exec('id -u nobody 2>/dev/null')) === '') die('skip needs users www-data and nobody');
?>
--ENV--
RUSTENC_KEY=
RUSTENC_TEST_KEY=
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
$keyDir = rustenc_dir(rustenc_test() . '-keys');
rustenc_cleanup(rustenc_test() . '-keys');
mkdir($keyDir, 0711);
chmod($keyDir, 0711);
$keyFile = "$keyDir/rustenc.key";
$secret = str_repeat('42', 32);
file_put_contents($keyFile, "$secret\n");
chmod($keyFile, 0600);

function ri_key(string $keyFile, array $prefix = []): string {
    $cmd = array_merge($prefix, [PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', "rustenc.key_file=$keyFile", '--ri', 'rustenc']);
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, '/', []);
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    proc_close($p);
    if (str_contains($out, $GLOBALS['secret'])) {
        echo "LEAK\n";
    }
    preg_match('/^key => .*$/m', $out, $m);
    return str_replace($keyFile, 'KEYFILE', ($m[0] ?? 'no key line: ' . $out)) . "\n";
}

echo "root process, file owned by root:\n";
echo ri_key($keyFile);
echo "root process, file owned by nobody:\n";
chown($keyFile, 'nobody');
echo ri_key($keyFile);
$out = rustenc_child('var_dump(session_start());', ['rustenc.key_file' => $keyFile], ['RUSTENC_KEY' => '']);
echo str_replace($keyFile, 'KEYFILE', $out);

$asWww = ['/usr/bin/setpriv', '--reuid=www-data', '--regid=www-data', '--clear-groups'];
echo "www-data process, file owned by nobody:\n";
echo ri_key($keyFile, $asWww);
echo "www-data process, file owned by www-data:\n";
chown($keyFile, 'www-data');
echo ri_key($keyFile, $asWww);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-keys');
?>
--EXPECTF--
root process, file owned by root:
key => loaded, key id %x
root process, file owned by nobody:
key => NOT LOADED: key file KEYFILE is owned by nobody, not by root; run: chown root: KEYFILE

Warning: session_start(): rustenc: key file KEYFILE is owned by nobody, not by root; run: chown root: KEYFILE in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s) in Command line code on line 1
bool(false)
www-data process, file owned by nobody:
key => NOT LOADED: key file KEYFILE is owned by nobody, not by www-data or root; run: chown www-data: KEYFILE
www-data process, file owned by www-data:
key => loaded, key id %x
