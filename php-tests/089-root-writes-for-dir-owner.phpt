--TEST--
PHP running as root in a session dir owned by www-data creates files (and subdirectories) owned by www-data, which www-data then uses
--EXTENSIONS--
session
--SKIPIF--
<?php
if (trim((string)shell_exec('id -u')) !== '0') die('skip needs root');
if (!is_executable('/usr/bin/setpriv')) die('skip needs setpriv');
if (trim((string)shell_exec('id -u www-data 2>/dev/null')) === '') die('skip needs user www-data');
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
ob_start(); // session INI stays changeable after output

/** Runs $code in a PHP process as www-data with this test's session settings. */
function as_www_data(string $code): string {
    $args = ['/usr/bin/setpriv', '--reuid=www-data', '--regid=www-data', '--clear-groups',
             PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', 'rustenc.check_settings=0'];
    foreach ([
        'session.save_handler' => 'rustenc',
        // Quoted so that ';' in "N;/path" is not an INI comment.
        'session.save_path' => '"' . ini_get('session.save_path') . '"',
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

$www = (int)trim(shell_exec('id -u www-data'));
$dir = rustenc_setup(rustenc_test());
chown($dir, 'www-data');
chgrp($dir, 'www-data');

foreach (['', '1;'] as $prefix) {
    ini_set('session.save_path', $prefix . $dir);
    $id = 'cron089' . ($prefix === '' ? 'flat' : 'deep');
    session_id($id);
    var_dump(session_start());
    $_SESSION['n'] = 1;
    session_write_close();
    $file = $prefix === '' ? rustenc_file($dir, $id) : "$dir/c/rustenc_$id";
    clearstatcache();
    var_dump(fileowner($file) === $www, filegroup($file) === $www);
    printf("%04o\n", fileperms($file) & 07777);
    if ($prefix !== '') {
        var_dump(fileowner("$dir/c") === $www);
    }
    var_dump(glob("$dir/rustenc_tmp*"));

    echo as_www_data('session_id("' . $id . '"); var_dump(session_start()); $_SESSION["n"]++; session_write_close();');
    session_id($id);
    session_start();
    var_dump($_SESSION['n']);
    $_SESSION['n']++;
    session_write_close();
    clearstatcache();
    var_dump(fileowner($file) === $www);
    echo as_www_data('session_id("' . $id . '"); session_start(); var_dump($_SESSION["n"]);');
}
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
0600
array(0) {
}
bool(true)
int(2)
bool(true)
int(3)
bool(true)
bool(true)
bool(true)
0600
bool(true)
array(0) {
}
bool(true)
int(2)
bool(true)
int(3)
