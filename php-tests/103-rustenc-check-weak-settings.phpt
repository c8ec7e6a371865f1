--TEST--
rustenc_check() with weak session settings (strict mode off, sid_length 26, ids in URLs): ok false, settings.ok false and settings.weak names each with its fix, everything else ok; regardless of rustenc.check_settings
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_only_cookies=1
session.use_strict_mode=1
session.sid_length=32
session.cache_limiter=
session.gc_probability=0
rustenc.check_settings=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
ob_start(); // session INI stays changeable after output
$dir = rustenc_setup('103');

function check(string $name): void {
    $r = rustenc_check();
    echo "-- $name\n";
    echo "ok: ", json_encode($r['ok']), ", settings.ok: ", json_encode($r['settings']['ok']),
        ", key/save_path/directory/probe ok: ", json_encode([$r['key']['ok'], $r['save_path']['ok'], $r['directory']['ok'], $r['probe']['ok']]), "\n";
    foreach ($r['settings']['weak'] as $w) {
        echo "weak: $w\n";
    }
}

check('recommended');
ini_set('session.use_strict_mode', '0');
check('strict mode off');
ini_set('session.use_strict_mode', '1');
ini_set('session.sid_length', '26');
check('sid_length 26');
ini_set('session.sid_length', '32');
ini_set('session.use_only_cookies', '0');
ini_set('session.use_strict_mode', '0');
check('ids in URLs and strict mode off');
ini_set('rustenc.check_settings', '1');
check('same, with rustenc.check_settings=1');
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup('103');
?>
--EXPECT--
-- recommended
ok: true, settings.ok: true, key/save_path/directory/probe ok: [true,true,true,true]
-- strict mode off
ok: false, settings.ok: false, key/save_path/directory/probe ok: [true,true,true,true]
weak: session.use_strict_mode=0 (set 1, so ids the server did not issue are refused)
-- sid_length 26
ok: false, settings.ok: false, key/save_path/directory/probe ok: [true,true,true,true]
weak: session.sid_length=26 (set 32 or more)
-- ids in URLs and strict mode off
ok: false, settings.ok: false, key/save_path/directory/probe ok: [true,true,true,true]
weak: session.use_strict_mode=0 (set 1, so ids the server did not issue are refused)
weak: session.use_only_cookies=0 (set 1, so ids in URLs cannot fix a user's session)
-- same, with rustenc.check_settings=1
ok: false, settings.ok: false, key/save_path/directory/probe ok: [true,true,true,true]
weak: session.use_strict_mode=0 (set 1, so ids the server did not issue are refused)
weak: session.use_only_cookies=0 (set 1, so ids in URLs cannot fix a user's session)
