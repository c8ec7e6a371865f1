--TEST--
A session file owned by another user is refused ("owned by"), as root and as www-data, and left unchanged
--EXTENSIONS--
session
--SKIPIF--
<?php
if (trim((string)shell_exec('id -u')) !== '0') die('skip needs root to chown and switch to www-data');
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
session_id('owner085');
session_start();
$_SESSION['secret'] = 'alice';
session_write_close();
$file = rustenc_file($dir, 'owner085');
$bytes = file_get_contents($file);

// Root, in a root-owned directory, refuses a file that belongs to nobody.
chown($file, 'nobody');
session_id('owner085');
var_dump(session_start(), $_SESSION);

// www-data, in its own directory, refuses it too, saying whose it is: when it
// cannot open it (0600) ...
chown($dir, 'www-data');
echo as_www_data('session_id("owner085"); var_dump(session_start(), $_SESSION);');
// ... and when it could read it (0644).
chmod($file, 0644);
echo as_www_data('session_id("owner085"); var_dump(session_start(), $_SESSION);');

clearstatcache();
var_dump(fileowner($file) === (int)trim(shell_exec('id -u nobody')), file_get_contents($file) === $bytes);

// Given to www-data, www-data reads it.
chown($file, 'www-data');
echo as_www_data('session_id("owner085"); var_dump(session_start(), $_SESSION);');
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session file for id owner0… in %s/rustenc-phpt-085 is owned by nobody, not by root; refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-085) in %s on line %d
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session file for id owner0… in %s/rustenc-phpt-085 is owned by nobody, not by www-data; refusing to use it (it was left in place: remove it once you know where it came from) in Command line code on line 1

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-085) in Command line code on line 1
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session file for id owner0… in %s/rustenc-phpt-085 is owned by nobody, not by www-data; refusing to use it (it was left in place: remove it once you know where it came from) in Command line code on line 1

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-085) in Command line code on line 1
bool(false)
array(0) {
}
bool(true)
bool(true)
bool(true)
array(1) {
  ["secret"]=>
  string(5) "alice"
}
