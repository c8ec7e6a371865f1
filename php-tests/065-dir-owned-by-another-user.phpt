--TEST--
PHP running as www-data refuses a session dir owned by another non-root user, with the chown command
--EXTENSIONS--
session
--SKIPIF--
<?php
if (trim((string)shell_exec('id -u')) !== '0') die('skip needs root to switch to www-data');
if (!is_executable('/usr/bin/setpriv')) die('skip needs setpriv');
if (trim((string)shell_exec('id -u www-data 2>/dev/null')) === '' || trim((string)shell_exec('id -u nobody 2>/dev/null')) === '') die('skip needs users www-data and nobody');
?>
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';

/** Runs $code in a PHP process as www-data with this test's session settings. */
function as_www_data(string $code): string {
    $args = ['/usr/bin/setpriv', '--reuid=www-data', '--regid=www-data', '--clear-groups',
             PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', 'rustenc.check_settings=0'];
    foreach ([
        'session.save_handler' => 'rustenc',
        'session.save_path' => ini_get('session.save_path'),
        'session.use_strict_mode' => '0',
        'session.use_cookies' => '0',
        'session.cache_limiter' => '',
        'session.gc_probability' => '0',
        'display_errors' => '1',
        'error_reporting' => (string)E_ALL,
        'log_errors' => '0',
        'html_errors' => '0',
    ] as $k => $v) {
        $args[] = '-d';
        $args[] = "$k=$v";
    }
    $args[] = '-r';
    $args[] = $code;
    $p = proc_open($args, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, '/', ['RUSTENC_KEY' => getenv('RUSTENC_TEST_KEY')]);
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    proc_close($p);
    return $out;
}

$dir = rustenc_setup(rustenc_test());
$code = 'var_dump(session_start());';

chown($dir, 'nobody');
chgrp($dir, 'nogroup');
foreach ([0700, 0755] as $mode) {
    chmod($dir, $mode);
    echo as_www_data($code);
}
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";

// Positive control: the same directory, owned by www-data, works.
chown($dir, 'www-data');
chgrp($dir, 'www-data');
chmod($dir, 0700);
echo as_www_data('var_dump(session_start()); $_SESSION["a"] = 1; var_dump(session_write_close());');
echo "files: ", count(glob("$dir/rustenc_*")), "\n";

// Owned by root (0711, traversable but not listable): the ownership check passes, but www-data cannot write there.
chown($dir, 'root');
chgrp($dir, 'root');
chmod($dir, 0711);
array_map('unlink', glob("$dir/rustenc_*"));
echo as_www_data($code);
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session dir %s/rustenc-phpt-065 is owned by nobody, not by www-data (the user PHP runs as); run: chown www-data: %s/rustenc-phpt-065 in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-065) in Command line code on line 1
bool(false)

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-065 is owned by nobody, not by www-data (the user PHP runs as); run: chown www-data: %s/rustenc-phpt-065 in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-065) in Command line code on line 1
bool(false)
dir: []
bool(true)
bool(true)
files: 1

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-065 (owner root, mode 0711) cannot be opened by www-data, the user PHP runs as; run: chown www-data: %s/rustenc-phpt-065 && chmod 0700 %s/rustenc-phpt-065 in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-065) in Command line code on line 1
bool(false)
dir: []
