--TEST--
Weak session settings go to the error log once per process (never into the output, even with display_errors=1), to php --ri and nowhere else; only settings this PHP does not deprecate are advised; rustenc.check_settings=0 silences the log line; whatever log_errors says, and on the command line only into an error_log file
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.cache_limiter=
display_errors=1
log_errors=1
error_reporting=E_ALL
rustenc.check_settings=1
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
ob_start(); // session_regenerate_id() needs headers not sent
$dir = rustenc_setup(rustenc_test());
$log = "$dir.log";
@unlink($log);
ini_set('error_log', $log);
ini_set('session.use_strict_mode', '0');
@ini_set('session.use_only_cookies', '0'); // deprecated on PHP 8.4+, still allowed
if (PHP_VERSION_ID < 80400) {
    ini_set('session.sid_length', '26'); // the setting itself is deprecated on 8.4+
}

/** The rustenc lines of an error log, without their timestamps. */
function log_lines(string $file): array {
    $lines = file_exists($file) ? file($file, FILE_IGNORE_NEW_LINES) : [];
    $out = [];
    foreach ($lines as $line) {
        if (str_contains($line, 'rustenc:')) {
            $out[] = preg_replace('/^\[[^\]]*\] /', '', $line);
        }
    }
    return $out;
}

echo "first start:\n";
session_start();
session_write_close();
echo "second start, same process:\n";
session_start();
session_regenerate_id(true);
session_write_close();
echo "log:\n";
$lines = log_lines($log);
echo implode("\n", $lines), "\n";
echo "sid_length advised: ", json_encode(str_contains($lines[0] ?? '', 'sid_length')),
    PHP_VERSION_ID < 80400 ? " (expected on PHP < 8.4)" : " (must not be on PHP 8.4+, where it is deprecated)", "\n";
$expected = PHP_VERSION_ID < 80400;
echo "as expected for this PHP: ", json_encode(str_contains($lines[0] ?? '', 'sid_length') === $expected), "\n";

$good = ['session.use_strict_mode' => '1', 'error_log' => "$log.child", 'log_errors' => '1'];
$code = 'session_start(); session_write_close(); session_start(); session_write_close(); echo "output: done\n";';

echo "recommended settings:\n";
@unlink("$log.child");
echo rustenc_child($code, $good);
echo "log lines: ", count(log_lines("$log.child")), "\n";

echo "strict mode off, three sessions in one process:\n";
echo rustenc_child($code . ' session_start(); session_write_close();', ['session.use_strict_mode' => '0'] + $good);
echo implode("\n", log_lines("$log.child")), "\n";

echo "silenced:\n";
@unlink("$log.child");
echo rustenc_child($code, ['session.use_strict_mode' => '0', 'rustenc.check_settings' => '0'] + $good);
echo "log lines: ", count(log_lines("$log.child")), "\n";

echo "command line without error_log (the terminal is the CLI's log): nothing printed:\n";
echo rustenc_child($code, ['session.use_strict_mode' => '0', 'error_log' => '', 'log_errors' => '1']);
echo "log_errors=0 (PHP's built-in default): logged all the same:\n";
@unlink("$log.child");
echo rustenc_child($code, ['session.use_strict_mode' => '0', 'log_errors' => '0'] + $good);
echo "log lines: ", count(log_lines("$log.child")), "\n";

echo "php --ri:\n";
$ri = rustenc_child('ob_start(); phpinfo(INFO_MODULES); $s = ob_get_clean();
    preg_match("/^session settings => (.*)$/m", $s, $m); echo $m[1] ?? "no row", "\n";',
    ['session.use_strict_mode' => '0'] + $good);
echo $ri;
echo rustenc_child('ob_start(); phpinfo(INFO_MODULES); $s = ob_get_clean();
    preg_match("/^session settings => (.*)$/m", $s, $m); echo $m[1] ?? "no row", "\n";', $good);
@unlink("$log.child");
@unlink($log);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
@unlink(rustenc_dir(rustenc_test()) . '.log');
@unlink(rustenc_dir(rustenc_test()) . '.log.child');
?>
--EXPECTF--
first start:
second start, same process:
log:
rustenc: weak session settings: session.use_strict_mode=0 (set 1, so ids the server did not issue are refused); session.use_only_cookies=0 (set 1, so ids in URLs cannot fix a user's session)%S; see "Recommended session settings" in rustenc's README (logged once per process; rustenc.check_settings=0 silences it)
sid_length advised: %s
as expected for this PHP: true
recommended settings:
output: done
log lines: 0
strict mode off, three sessions in one process:
output: done
rustenc: weak session settings: session.use_strict_mode=0 (set 1, so ids the server did not issue are refused); see "Recommended session settings" in rustenc's README (logged once per process; rustenc.check_settings=0 silences it)
silenced:
output: done
log lines: 0
command line without error_log (the terminal is the CLI's log): nothing printed:
output: done
log_errors=0 (PHP's built-in default): logged all the same:
output: done
log lines: 1
php --ri:
weak: session.use_strict_mode=0 (set 1, so ids the server did not issue are refused)
as recommended
