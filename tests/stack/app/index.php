<?php
// The test app behind nginx -> php-fpm (tests/stack/lib.sh). One file, routed
// by the last path segment; the pool (/rustenc/, /files/, ...) picks the
// handler. Any failed session call becomes a 500 with the PHP message in the
// X-Error header, so clients see every failure.
//
//   ping               "pong <pid>"; X-Key-Visible: whether getenv() sees RUSTENC_KEY
//   count[?append=v]   counter + 1 (and v appended to a list); X-Count, X-Len
//   peek               read_and_close; X-Count, X-Len, X-User, X-Gen, X-Blob (ok|torn|none),
//                      X-Tag, X-Payload (<bytes> ok|torn)
//   check              as peek, but takes the lock (a normal session_start)
//   login (POST user)  session_regenerate_id(true), user stored, 302 -> dashboard
//   dashboard          200 "user=<u> n=<count>" or 401 "anonymous"
//   logout             session_destroy()
//   blob?size=N&loop=K K times (or for at most &seconds=S): start, store generation g+1 as N bytes that
//                      spell it out (so a torn value shows), write_close, append g+1 to ctl/done-<sid>; the
//                      worker's pid goes to ctl/pid-<tag> first (kill test); with &vary=1 the size
//                      alternates between N and N - 4 KiB (a shrinking session makes files truncate first)
//   soak?size=N        counter + 1, payload of N bytes spelling the counter; X-Check: torn
//                      if the previous payload does not match the previous count
//   set?size=N&tag=T   stores N bytes of T; X-Write: ok|failed, 500 and X-Error with the
//                      warnings when the write failed (full-disk test)

$ctl = $_SERVER['STACK_CTL'] ?? sys_get_temp_dir();
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) ?: '/';
$action = basename($path);

function fail(string $what): never
{
    $e = error_get_last();
    http_response_code(500);
    header('X-Error: ' . $what . ': ' . str_replace(["\r", "\n"], ' ', $e['message'] ?? 'no message'));
    echo "error: $what\n";
    exit;
}

function start(array $options = []): void
{
    if (!session_start($options)) {
        fail('session_start');
    }
}

function close(): void
{
    if (!session_write_close()) {
        fail('session_write_close');
    }
}

function blob(int $gen, int $size): string
{
    return str_repeat(sprintf('%015d|', $gen), intdiv($size, 16) + 1);
}

function describe(): void
{
    header('X-Count: ' . ($_SESSION['n'] ?? 0));
    header('X-Len: ' . count($_SESSION['list'] ?? []));
    header('X-User: ' . ($_SESSION['user'] ?? ''));
    header('X-Tag: ' . ($_SESSION['tag'] ?? ''));
    if (isset($_SESSION['payload'])) {
        $p = $_SESSION['payload'];
        $tag = $_SESSION['tag'] ?? '';
        $whole = $tag !== '' && $p === str_repeat($tag, intdiv(strlen($p), strlen($tag)));
        header('X-Payload: ' . strlen($p) . ($whole ? ' ok' : ' torn'));
    }
    if (!isset($_SESSION['blob'])) {
        header('X-Blob: none');
        header('X-Gen: ');
        return;
    }
    $b = $_SESSION['blob'];
    $ok = is_array($b) && isset($b['gen'], $b['size'], $b['data'])
        && $b['data'] === blob($b['gen'], $b['size']);
    header('X-Blob: ' . ($ok ? 'ok' : 'torn'));
    header('X-Gen: ' . ($b['gen'] ?? ''));
    // The list must be 1..n too (append test).
    $list = $_SESSION['list'] ?? [];
    if ($list !== [] && $list !== range(1, count($list))) {
        header('X-List: torn');
    }
}

switch ($action) {
    case 'ping':
        header('X-Key-Visible: ' . (getenv('RUSTENC_KEY') === false ? 'no' : 'yes'));
        echo 'pong ', getmypid(), "\n";
        break;

    case 'count':
        start();
        $n = $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
        if (isset($_GET['append'])) {
            $_SESSION['list'][] = (int)$_GET['append'];
        }
        $len = count($_SESSION['list'] ?? []);
        close();
        header("X-Count: $n");
        header("X-Len: $len");
        echo "$n\n";
        break;

    case 'peek':
        start(['read_and_close' => true]);
        describe();
        echo json_encode(['n' => $_SESSION['n'] ?? 0, 'user' => $_SESSION['user'] ?? null]), "\n";
        break;

    case 'check':
        start();
        describe();
        close();
        echo "checked\n";
        break;

    case 'login':
        if ($_SERVER['REQUEST_METHOD'] !== 'POST' || !isset($_POST['user'])) {
            http_response_code(405);
            echo "POST user=...\n";
            break;
        }
        start();
        $before = session_id();
        if (!session_regenerate_id(true)) {
            fail('session_regenerate_id');
        }
        if (session_id() === $before) {
            fail('session id unchanged by session_regenerate_id');
        }
        $_SESSION['user'] = $_POST['user'];
        close();
        header('Location: dashboard', true, 302);
        break;

    case 'dashboard':
        start();
        $user = $_SESSION['user'] ?? null;
        $n = $_SESSION['n'] ?? 0;
        close();
        if ($user === null) {
            http_response_code(401);
            echo "anonymous\n";
        } else {
            echo "user=$user n=$n\n";
        }
        break;

    case 'logout':
        start();
        if (!session_destroy()) {
            fail('session_destroy');
        }
        echo "bye\n";
        break;

    case 'blob':
        $size = (int)($_GET['size'] ?? 262144);
        $loop = max(1, (int)($_GET['loop'] ?? 1));
        if (isset($_GET['tag'])) {
            file_put_contents("$ctl/pid-" . basename($_GET['tag']), getmypid());
        }
        $until = microtime(true) + (float)($_GET['seconds'] ?? 3600);
        $gen = 0;
        for ($i = 0; $i < $loop && microtime(true) < $until; $i++) {
            start();
            $gen = ($_SESSION['blob']['gen'] ?? 0) + 1;
            $n = isset($_GET['vary']) ? $size - ($gen % 2) * 4096 : $size;
            $_SESSION['blob'] = ['gen' => $gen, 'size' => $n, 'data' => blob($gen, $n)];
            $id = session_id();
            close();
            file_put_contents("$ctl/done-$id", "$gen\n", FILE_APPEND);
        }
        header("X-Gen: $gen");
        echo "gen=$gen\n";
        break;

    case 'set':
        $size = (int)($_GET['size'] ?? 1024);
        $tag = substr(preg_replace('/[^A-Za-z0-9]/', '', $_GET['tag'] ?? 'x'), 0, 16) ?: 'x';
        start();
        $_SESSION['tag'] = $tag;
        $_SESSION['payload'] = str_repeat($tag, intdiv($size, strlen($tag)));
        // session_write_close() returns true even when the handler's write
        // failed (PHP 8.2 only warns), so the warnings are what tells.
        $warnings = [];
        set_error_handler(function (int $no, string $msg) use (&$warnings) {
            $warnings[] = $msg;
            return false; // and log it as usual
        });
        $ok = session_write_close() && $warnings === [];
        restore_error_handler();
        header('X-Write: ' . ($ok ? 'ok' : 'failed'));
        if (!$ok) {
            header('X-Error: ' . str_replace(["\r", "\n"], ' ', implode(' / ', $warnings)));
            http_response_code(500);
        }
        echo $ok ? "ok\n" : "failed\n";
        break;

    case 'soak':
        // The previous payload must be whole, the counter goes up by one.
        $size = max(1, min((int)($_GET['size'] ?? 1024), 900000));
        start();
        $n = ($_SESSION['n'] ?? 0) + 1;
        if (isset($_SESSION['payload'])) {
            $p = $_SESSION['payload'];
            $expect = substr(str_repeat(sprintf('%07d.', $n - 1), intdiv(strlen($p), 8) + 1), 0, strlen($p));
            if ($p !== $expect) {
                header('X-Check: torn');
            }
        }
        $_SESSION['n'] = $n;
        $_SESSION['payload'] = substr(str_repeat(sprintf('%07d.', $n), intdiv($size, 8) + 1), 0, $size);
        close();
        header("X-Count: $n");
        echo "$n\n";
        break;

    default:
        http_response_code(404);
        echo "no such action: $action\n";
}
