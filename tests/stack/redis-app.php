<?php
// The app the Redis tests serve with `php -S` (tests/stack/redis.sh, web_start),
// routed by the last path segment. A request succeeds (200) only if its session
// calls succeeded AND raised no warning: PHP 8.2's session_write_close() returns
// true even when the handler's write failed, so the warning is what tells. A
// failure is a 500 whose X-Error header carries the PHP messages (as a user's
// error page or log would show them).
//
//   ping                 "pong"
//   count[?hold=MS]      counter + 1, MS ms spent with the session open; X-Count
//   peek                 read_and_close; X-Count, X-User, X-Note
//   note?text=T[&hold=MS]  stores note T, holds the session MS ms; X-Write: ok|failed
//   login (POST user)    session_regenerate_id(true), user stored, 302 -> dashboard
//   dashboard            200 "user=<u> n=<count>" or 401 "anonymous"
//   logout               session_destroy()

$warnings = [];
set_error_handler(function (int $no, string $msg) use (&$warnings) {
    $warnings[] = $msg;
    return false; // logged as usual too
});

function fail(string $what): never
{
    global $warnings;
    http_response_code(500);
    header('X-Write: failed');
    header('X-Error: ' . $what . ': ' . str_replace(["\r", "\n"], ' ', implode(' / ', $warnings) ?: 'no message'));
    echo "error: $what\n";
    exit;
}

function start(array $options = []): void
{
    if (!session_start($options) || $GLOBALS['warnings'] !== []) {
        fail('session_start');
    }
}

function close(): void
{
    if (!session_write_close() || $GLOBALS['warnings'] !== []) {
        fail('session_write_close');
    }
}

$action = basename(parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) ?: '/');
$hold = (int)($_GET['hold'] ?? 0);

switch ($action) {
    case 'ping':
        echo "pong\n";
        break;

    case 'count':
        start();
        $n = $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
        usleep($hold * 1000);
        close();
        header("X-Count: $n");
        echo "$n\n";
        break;

    case 'peek':
        start(['read_and_close' => true]);
        header('X-Count: ' . ($_SESSION['n'] ?? 0));
        header('X-User: ' . ($_SESSION['user'] ?? ''));
        header('X-Note: ' . ($_SESSION['note'] ?? ''));
        echo json_encode($_SESSION), "\n";
        break;

    case 'note':
        start();
        $_SESSION['note'] = (string)($_GET['text'] ?? '');
        usleep($hold * 1000);
        close();
        header('X-Write: ok');
        echo "ok\n";
        break;

    case 'login':
        if ($_SERVER['REQUEST_METHOD'] !== 'POST' || !isset($_POST['user'])) {
            http_response_code(405);
            echo "POST user=...\n";
            break;
        }
        start();
        $before = session_id();
        if (!session_regenerate_id(true) || session_id() === $before) {
            fail('session_regenerate_id');
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

    default:
        http_response_code(404);
        echo "no such action: $action\n";
}
