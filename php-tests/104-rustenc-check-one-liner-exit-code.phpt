--TEST--
The README's deployment one-liner php -r '$r = rustenc_check(); print_r($r); exit($r["status"]);' exits 0 on a good setup, 1 on each broken one, 2 when sessions work but settings are weak (Debian's stock settings); the older exit($r["ok"] ? 0 : 1) form exits 0 on weak settings
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

/** Runs the one-liner as a deployment script would; returns [exit code, output]. */
function one_liner(array $ini, array $env, string $exit = '$r["status"]'): array {
    $args = [PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so()];
    foreach ($ini as $k => $v) {
        $args[] = '-d';
        $args[] = "$k=\"$v\"";
    }
    $args[] = '-r';
    $args[] = '$r = rustenc_check(); print_r($r); exit(' . $exit . ');';
    $p = proc_open($args, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, '/', $env);
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    return [proc_close($p), $out];
}

$good = [
    'session.save_handler' => 'rustenc',
    'session.save_path' => $dir,
    'session.use_strict_mode' => '1',
    'session.use_only_cookies' => '1',
];
$key = ['RUSTENC_KEY' => getenv('RUSTENC_TEST_KEY')];

$cases = [
    'good' => [$good, $key],
    'no key' => [$good, []],
    'missing dir' => [['session.save_path' => "$dir/missing"] + $good, $key],
    'strict mode off' => [['session.use_strict_mode' => '0'] + $good, $key],
    // Debian's php.ini: strict mode off, save_handler files (before the switch).
    'Debian stock settings' => [['session.use_strict_mode' => '0', 'session.save_handler' => 'files'] + $good, $key],
];
foreach ($cases as $name => [$ini, $env]) {
    [$code, $out] = one_liner($ini, $env);
    $printed = (bool)preg_match('/^    \[ok\] => (1?)$/m', $out, $m);
    echo "$name: exit $code, printed ok => ", $printed ? ($m[1] === '1' ? 'true' : 'false') : 'NOT PRINTED', "\n";
    if (str_contains($out, 'Warning')) {
        echo $out;
    }
}
chmod($dir, 0777);
[$code] = one_liner($good, $key);
echo "dir 0777: exit $code\n";
chmod($dir, 0700);
[$code] = one_liner(['session.use_strict_mode' => '0'] + $good, $key, '$r["ok"] ? 0 : 1');
echo "strict mode off, exit(\$r[\"ok\"] ? 0 : 1): exit $code\n";
chmod($dir, 0700);
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
good: exit 0, printed ok => true
no key: exit 1, printed ok => false
missing dir: exit 1, printed ok => false
strict mode off: exit 2, printed ok => true
Debian stock settings: exit 2, printed ok => true
dir 0777: exit 1
strict mode off, exit($r["ok"] ? 0 : 1): exit 0
dir: []
