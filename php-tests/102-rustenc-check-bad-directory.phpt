--TEST--
rustenc_check() with an unusable session dir (missing, 0777, symbolic link, save_path syntax error): ok false, the failing part false with the cause and its fix, probe not tried, no warning, nothing created
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
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
ob_start(); // session INI stays changeable after output
$dir = rustenc_setup(rustenc_test());
$link = rustenc_dir(rustenc_test() . '-link');
rustenc_cleanup(rustenc_test() . '-link');
$missing = rustenc_dir(rustenc_test() . '-missing');
rustenc_cleanup(rustenc_test() . '-missing');

function check(string $name, string $savePath, string $dir): void {
    echo "-- $name\n";
    ini_set('session.save_path', $savePath);
    $r = rustenc_check();
    $show = fn($v) => str_replace($dir, 'DIR', json_encode($v, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
    echo "ok: ", $show($r['ok']), ", key.ok: ", $show($r['key']['ok']), ", settings.ok: ", $show($r['settings']['ok']), "\n";
    echo "save_path: ", $show($r['save_path']), "\n";
    echo "directory: ", $show($r['directory']), "\n";
    echo "probe: ", $show($r['probe']), "\n";
}

check('good (control)', $dir, $dir);

check('missing', $missing, $missing);
var_dump(file_exists($missing));

chmod($dir, 0777);
check('mode 0777', $dir, $dir);
chmod($dir, 0700);

symlink($dir, $link);
check('symbolic link', $link, $dir);

check('save_path syntax error', "x;$dir", $dir);
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test() . '-link');
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
-- good (control)
ok: true, key.ok: true, settings.ok: true
save_path: {"ok":true,"value":"DIR","dir":"DIR","depth":0,"mode":"0600","error":null}
directory: {"ok":true,"owner":"%s","mode":"0700","error":null}
probe: {"ok":true,"error":null}
-- missing
ok: false, key.ok: true, settings.ok: true
save_path: {"ok":true,"value":"DIR","dir":"DIR","depth":0,"mode":"0600","error":null}
directory: {"ok":false,"owner":null,"mode":null,"error":"session dir DIR does not exist; run: install -d -m 0700 -o %s DIR"}
probe: {"ok":false,"error":"not tried: the session directory cannot be used"}
bool(false)
-- mode 0777
ok: false, key.ok: true, settings.ok: true
save_path: {"ok":true,"value":"DIR","dir":"DIR","depth":0,"mode":"0600","error":null}
directory: {"ok":false,"owner":"%s","mode":"0777","error":"session dir DIR is mode 0777, writable by group and others; run: chmod 0700 DIR"}
probe: {"ok":false,"error":"not tried: the session directory cannot be used"}
-- symbolic link
ok: false, key.ok: true, settings.ok: true
save_path: {"ok":true,"value":"DIR-link","dir":"DIR-link","depth":0,"mode":"0600","error":null}
directory: {"ok":false,"owner":"%s","mode":"%s","error":"session dir DIR-link is a symbolic link; rustenc does not follow links: set session.save_path to the real directory (DIR)"}
probe: {"ok":false,"error":"not tried: the session directory cannot be used"}
-- save_path syntax error
ok: false, key.ok: true, settings.ok: true
save_path: {"ok":false,"value":"x;DIR","dir":null,"depth":null,"mode":null,"error":"session.save_path \"x;DIR\" is invalid: %s; expected \"/path\", \"N;/path\" or \"N;MODE;/path\" (for example \"0;0600;/var/lib/php/rustenc\")"}
directory: {"ok":false,"owner":null,"mode":null,"error":"session.save_path \"x;DIR\" is invalid: %s"}
probe: {"ok":false,"error":"not tried: the session directory cannot be used"}
dir: []
