--TEST--
php -i lists rustenc under "Registered save handlers" and shows its INI settings
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.cache_limiter=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';

// This very process has it registered: choosing it works (before any output).
$set = ini_set('session.save_handler', 'rustenc');
$now = ini_get('session.save_handler');

$cmd = [PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', 'rustenc.lock_timeout_ms=1234', '-i'];
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, ['RUSTENC_KEY' => getenv('RUSTENC_TEST_KEY')]);
$out = stream_get_contents($pipes[1]);
fclose($pipes[1]);
proc_close($p);

var_dump((bool)preg_match('/^Registered save handlers => (.*)$/m', $out, $m));
var_dump(in_array('rustenc', preg_split('/\s+/', trim($m[1] ?? ''))));
var_dump((bool)preg_match('/^rustenc\.lock_timeout_ms => 1234 => 1234$/m', $out));
var_dump((bool)preg_match('/^rustenc\.max_size => \d+ => \d+$/m', $out));
var_dump((bool)preg_match('/^key => loaded, key id [0-9a-f]{16}$/m', $out));
// The rustenc section (and what follows it) does not show the key. (The
// Environment section of php -i does, as it does for every variable.)
$start = strpos($out, "\nrustenc\n");
$section = $start === false ? '' : substr($out, $start, 1500);
var_dump(str_contains($section, 'rustenc support => enabled'), str_contains($section, getenv('RUSTENC_TEST_KEY')));

var_dump($set !== false, $now);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(false)
bool(true)
string(7) "rustenc"
