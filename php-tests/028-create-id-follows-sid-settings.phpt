--TEST--
session_create_id() (with and without prefix, with and without an active session) follows sid_length and sid_bits_per_character (deprecated, still working, on PHP 8.4+)
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
// Buffer output so the session INI settings can still be changed below.
ob_start();

// PHP 8.4 deprecates changing both settings (they keep working until PHP 9):
// each change away from the default says so there, and only there. The
// settings are changed here rather than in --INI--, where PHP 8.4's startup
// deprecation would come before the test's output.
$deprecated = [];
set_error_handler(function (int $no, string $msg) use (&$deprecated) {
    if ($no === E_DEPRECATED && preg_match('/^ini_set\(\): (session\.sid_\w+) INI setting is deprecated$/', $msg, $m)) {
        $deprecated[$m[1]] = true;
        return true;
    }
    return false;
});
function sid_settings(int $length, int $bits) {
    ini_set('session.sid_length', (string) $length);
    ini_set('session.sid_bits_per_character', (string) $bits);
}
sid_settings(40, 5);

function check(string $label, $id, string $re) {
    printf("%s: %s\n", $label, is_string($id) && preg_match($re, $id) ? 'ok' : 'BAD ' . var_export($id, true));
}

// No session active: PHP's own generator, rustenc is not involved yet.
check('inactive 40/5', session_create_id(), '/^[0-9a-v]{40}$/');
check('inactive prefix', session_create_id('prefix-'), '/^prefix-[0-9a-v]{40}$/');

// Active session: ids come from rustenc's create_sid.
session_start();
check('session_start id', session_id(), '/^[0-9a-v]{40}$/');
$a = session_create_id();
$b = session_create_id('prefix-');
check('active 40/5', $a, '/^[0-9a-v]{40}$/');
check('active prefix', $b, '/^prefix-[0-9a-v]{40}$/');
var_dump($a !== session_id(), $a !== substr($b, 7));
session_write_close();

sid_settings(26, 4);
check('inactive 26/4', session_create_id(), '/^[0-9a-f]{26}$/');
session_id('');
session_start();
check('session_start 26/4', session_id(), '/^[0-9a-f]{26}$/');
check('active 26/4', session_create_id('x,y-'), '/^x,y-[0-9a-f]{26}$/');
session_write_close();

sid_settings(64, 6);
session_id('');
session_start();
check('session_start 64/6', session_id(), '/^[0-9a-zA-Z,-]{64}$/');
check('active 64/6', session_create_id('p'), '/^p[0-9a-zA-Z,-]{64}$/');
$id = session_id();
$_SESSION['ok'] = 1;
session_write_close();
var_dump(is_file(rustenc_file($dir, $id)));

// A prefix outside the id alphabet is refused.
var_dump(session_create_id('bad prefix!'));
// Creating ids creates no session files.
var_dump(count(glob("$dir/rustenc_*")));

ksort($deprecated);
$expected = PHP_VERSION_ID >= 80400 ? ['session.sid_bits_per_character', 'session.sid_length'] : [];
echo 'deprecations: ', array_keys($deprecated) === $expected ? 'as this PHP version has them' : 'BAD ' . implode(', ', array_keys($deprecated)), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
inactive 40/5: ok
inactive prefix: ok
session_start id: ok
active 40/5: ok
active prefix: ok
bool(true)
bool(true)
inactive 26/4: ok
session_start 26/4: ok
active 26/4: ok
session_start 64/6: ok
active 64/6: ok
bool(true)

Warning: session_create_id(): Prefix cannot contain special characters. Only the A-Z, a-z, 0-9, "-", and "," characters are allowed in %s on line %d
bool(false)
int(3)
deprecations: as this PHP version has them
