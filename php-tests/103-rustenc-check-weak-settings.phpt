--TEST--
rustenc_check() with weak session settings (strict mode off, ids in URLs (use_only_cookies=0, use_trans_sid=1), sid_length 26 where PHP does not deprecate it): ok true (sessions work), status 2, settings.ok false and settings.weak names each with its fix; regardless of rustenc.check_settings
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_only_cookies=1
session.use_strict_mode=1
session.cache_limiter=
session.gc_probability=0
rustenc.check_settings=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
ob_start(); // session INI stays changeable after output
$dir = rustenc_setup(rustenc_test());
if (PHP_VERSION_ID < 80400) {
    ini_set('session.sid_length', '32'); // Debian's php.ini sets 26; PHP 8.4 deprecates the setting
}

function check(string $name): void {
    $r = rustenc_check();
    echo "-- $name\n";
    echo "ok: ", json_encode($r['ok']), ", status: ", $r['status'], ", settings.ok: ", json_encode($r['settings']['ok']),
        ", key/save_path/directory/probe ok: ", json_encode([$r['key']['ok'], $r['save_path']['ok'], $r['directory']['ok'], $r['probe']['ok']]), "\n";
    foreach ($r['settings']['weak'] as $w) {
        echo "weak: $w\n";
    }
}

check('recommended');
ini_set('session.use_strict_mode', '0');
check('strict mode off');
ini_set('session.use_strict_mode', '1');
// PHP 8.4 deprecates session.sid_length: rustenc must not advise it there.
// Set in a child process (8.4 prints its deprecation there, not here).
$out = rustenc_child('$r = rustenc_check(); echo "\nADVISED=", json_encode(in_array("session.sid_length=26 (set 32 or more)", $r["settings"]["weak"], true)), " STATUS=", $r["status"], "\n";',
    ['session.sid_length' => '26']);
preg_match('/^ADVISED=(true|false) STATUS=(\d)$/m', $out, $m);
$advised = ($m[1] ?? '') === 'true';
$status = (int)($m[2] ?? -1);
echo "-- sid_length 26\n";
echo "advised: ", json_encode($advised), ", status: ", $status, PHP_VERSION_ID < 80400 ? " (PHP < 8.4)" : " (PHP 8.4+)", "\n";
echo "as expected for this PHP: ", json_encode(PHP_VERSION_ID < 80400 ? $advised && $status === 2 : !$advised && $status === 0), "\n";
@ini_set('session.use_only_cookies', '0');
@ini_set('session.use_trans_sid', '1'); // deprecated (but working) on PHP 8.4+
ini_set('session.use_strict_mode', '0');
check('ids in URLs and strict mode off');
ini_set('rustenc.check_settings', '1');
check('same, with rustenc.check_settings=1');
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
-- recommended
ok: true, status: 0, settings.ok: true, key/save_path/directory/probe ok: [true,true,true,true]
-- strict mode off
ok: true, status: 2, settings.ok: false, key/save_path/directory/probe ok: [true,true,true,true]
weak: session.use_strict_mode=0 (set 1, so ids the server did not issue are refused)
-- sid_length 26
advised: %s, status: %d (PHP %s)
as expected for this PHP: true
-- ids in URLs and strict mode off
ok: true, status: 2, settings.ok: false, key/save_path/directory/probe ok: [true,true,true,true]
weak: session.use_strict_mode=0 (set 1, so ids the server did not issue are refused)
weak: session.use_only_cookies=0 (set 1, so ids in URLs cannot fix a user's session)
weak: session.use_trans_sid=1 (set 0, so session ids are not put in URLs, where they leak)
-- same, with rustenc.check_settings=1
ok: true, status: 2, settings.ok: false, key/save_path/directory/probe ok: [true,true,true,true]
weak: session.use_strict_mode=0 (set 1, so ids the server did not issue are refused)
weak: session.use_only_cookies=0 (set 1, so ids in URLs cannot fix a user's session)
weak: session.use_trans_sid=1 (set 0, so session ids are not put in URLs, where they leak)
