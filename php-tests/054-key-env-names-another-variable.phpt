--TEST--
rustenc.key_env (system level) makes rustenc read the key from another environment variable
--EXTENSIONS--
session
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
$dir = rustenc_setup(rustenc_test());
$other = str_repeat('11', 32);
$ini = ['rustenc.key_env' => 'OTHER_VAR'];

// Not changeable at run time.
var_dump(ini_set('rustenc.key_env', 'OTHER_VAR'));
var_dump(ini_get('rustenc.key_env'));

// With key_env=OTHER_VAR the child seals with OTHER_VAR's key, not RUSTENC_KEY's.
echo rustenc_child('session_id("keyenv054abc"); var_dump(session_start()); $_SESSION["who"] = "other"; session_write_close();',
    $ini, ['OTHER_VAR' => $other]);
var_dump(is_file(rustenc_file($dir, 'keyenv054abc')));

// So this process (RUSTENC_KEY) cannot open it ...
session_id('keyenv054abc');
var_dump(session_start());
session_write_close();
// (It was set aside; renamed back, it is what the child below reads.)
rename(glob(rustenc_file($dir, 'keyenv054abc') . '.unreadable-*')[0], rustenc_file($dir, 'keyenv054abc'));

// ... while another child reading OTHER_VAR can.
echo rustenc_child('session_id("keyenv054abc"); session_start(); var_dump($_SESSION);', $ini, ['OTHER_VAR' => $other]);

// OTHER_VAR unset: the warning names OTHER_VAR, even though RUSTENC_KEY is set.
echo rustenc_child('var_dump(session_start());', $ini);

// phpinfo says where the key is read from.
$p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', 'rustenc.key_env=OTHER_VAR', '--ri', 'rustenc'],
    [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, ['OTHER_VAR' => $other]);
$out = stream_get_contents($pipes[1]);
fclose($pipes[1]);
proc_close($p);
foreach (explode("\n", $out) as $line) {
    if (str_starts_with($line, 'key')) {
        echo $line, "\n";
    }
}
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
bool(false)
string(11) "RUSTENC_KEY"
bool(true)
bool(true)

Warning: session_start(): rustenc: session keyenv… cannot be read: sealed with unknown key id 743bfde7a27e3631 (not the configured key); it was set aside as rustenc_keyenv….unreadable-%s in %s/rustenc-phpt-054 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
array(1) {
  ["who"]=>
  string(5) "other"
}

Warning: session_start(): rustenc: no key: environment variable OTHER_VAR is not set (or empty); set it to 32 random bytes as base64 or 64 hex characters, e.g. OTHER_VAR=$(head -c 32 /dev/urandom | base64), in the environment PHP starts in (for php-fpm: the master's, e.g. a systemd drop-in with EnvironmentFile=), then restart in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-054) in Command line code on line 1
bool(false)
key => loaded, key id 743bfde7a27e3631
key memory => locked in RAM (mlock), excluded from core dumps
keys read from => $OTHER_VAR, previous keys $RUSTENC_PREVIOUS_KEYS (at startup)
