<?php
// Reads run-tests.php's JUnit report (TEST_PHP_JUNIT) and prints one line
// per test: "pass|fail|skip|flaky NAME [REASON]". The JUnit report is where
// run-tests.php records every test's outcome by name, including a test it
// retried ("warned": failed, then passed on its retry) and each skip's
// reason; its console output does not name them reliably.
// Parsed with a regular expression, not an XML extension (the CLI may have
// none): run-tests.php writes one fixed shape, attributes quoted with ' and
// escaped with htmlspecialchars(ENT_QUOTES).
$xml = @file_get_contents($argv[1]);
if ($xml === false
    || !preg_match_all("~<testcase name='([^']*)'[^>]*>(.*?)</testcase>~s", $xml, $cases, PREG_SET_ORDER)) {
    fwrite(STDERR, "no test in the JUnit report {$argv[1]}\n");
    exit(1);
}
$text = fn(string $s) => preg_replace('/\s+/', ' ', trim(html_entity_decode(strip_tags($s), ENT_QUOTES)));
foreach ($cases as [, $name, $body]) {
    // name = "php-tests/NNN-x.phpt (the --TEST-- line)"
    $name = basename(strtok(html_entity_decode($name, ENT_QUOTES), ' '));
    $reason = '';
    if (preg_match('~<(failure|error)\b~', $body)) {
        $kind = 'fail';
    } elseif (preg_match('~<warning>(.*?)</warning>~s', $body, $m)) {
        $kind = 'flaky';
        $reason = $text($m[1]);
    } elseif (preg_match('~<skipped>(.*?)</skipped>~s', $body, $m)) {
        $kind = 'skip';
        $reason = $text($m[1]);
    } else {
        $kind = 'pass';
    }
    echo $kind, ' ', $name, $reason === '' ? '' : " $reason", "\n";
}
