--TEST--
Without a key, session_start() fails, names RUSTENC_KEY and the expected format, writes nothing, and --ri says NOT LOADED
--EXTENSIONS--
session
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

var_dump(session_start());
var_dump(session_status() === PHP_SESSION_NONE);
var_dump(isset($_SESSION));
echo "dir after start: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";

// A second process started without the key (empty, then unset) reports it in phpinfo.
foreach ([['RUSTENC_KEY' => ''], []] as $env) {
    $p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '--ri', 'rustenc'],
        [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env);
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    proc_close($p);
    foreach (explode("\n", $out) as $line) {
        if (str_starts_with($line, 'key')) {
            echo $line, "\n";
        }
    }
}
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: no key: environment variable RUSTENC_KEY is not set (or empty); set it to 32 random bytes as base64 or 64 hex characters, e.g. RUSTENC_KEY=$(head -c 32 /dev/urandom | base64), in the environment PHP starts in (for php-fpm: the master's, e.g. a systemd drop-in with EnvironmentFile=), then restart in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-050) in %s on line %d
bool(false)
bool(true)
bool(false)
dir after start: []
key => NOT LOADED: no key: environment variable RUSTENC_KEY is not set (or empty); set it to 32 random bytes as base64 or 64 hex characters, e.g. RUSTENC_KEY=$(head -c 32 /dev/urandom | base64), %s
keys read from => $RUSTENC_KEY, previous keys $RUSTENC_PREVIOUS_KEYS (at startup)
key => NOT LOADED: no key: environment variable RUSTENC_KEY is not set (or empty); %s
keys read from => $RUSTENC_KEY, previous keys $RUSTENC_PREVIOUS_KEYS (at startup)
