<?php
/*
 * Helpers shared by the demo pages. Every page starts the session the same
 * way, and every value shown is escaped with h().
 */
declare(strict_types=1);

/** HTML-escapes $s. */
function h(string $s): string {
    return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

/** Starts the session and makes sure it has a CSRF token for the forms. */
function demo_start(): void {
    if (!session_start()) {
        http_response_code(500);
        exit('session_start() failed: is the rustenc extension loaded and RUSTENC_KEY set? See the server console.');
    }
    $_SESSION['csrf'] ??= bin2hex(random_bytes(16));
}

/** Ends a POST request: checks its CSRF token, or refuses it. */
function demo_check_post(): void {
    if ($_SERVER['REQUEST_METHOD'] !== 'POST'
        || !hash_equals($_SESSION['csrf'] ?? '', (string)($_POST['csrf'] ?? ''))) {
        http_response_code(400);
        exit('Bad request (expired form? go back and reload).');
    }
}

function demo_redirect(): never {
    header('Location: /', true, 303);
    exit;
}

/**
 * The file rustenc keeps session $id in: session.save_path is "/dir",
 * "N;/dir" or "N;MODE;/dir"; with N > 0 the file is N levels down, in
 * subdirectories named after the id's first characters.
 */
function demo_session_file(string $save_path, string $id): string {
    $parts = explode(';', $save_path);
    $dir = end($parts);
    $depth = count($parts) > 1 ? (int)$parts[0] : 0;
    for ($i = 0; $i < $depth; $i++) {
        $dir .= '/' . $id[$i];
    }
    return $dir . '/rustenc_' . $id;
}

/** Which envelope field byte $offset of a $size-byte file belongs to
 * (format version 2, docs/FORMAT.md). */
function demo_field(int $offset, int $size): string {
    return match (true) {
        $offset < 4 => 'magic',
        $offset < 5 => 'version',
        $offset < 13 => 'keyid',
        $offset < 21 => 'time',
        $offset < 37 => 'salt',
        $offset < 49 => 'nonce',
        $offset >= $size - 16 => 'tag',
        default => 'cipher',
    };
}

/** An HTML hex dump of $bytes (the first bytes of a $size-byte file). */
function demo_hexdump(string $bytes, int $size): string {
    $out = '';
    foreach (str_split($bytes, 16) as $row => $chunk) {
        $hex = $ascii = '';
        foreach (str_split($chunk) as $i => $c) {
            $class = demo_field($row * 16 + $i, $size);
            $hex .= sprintf('<span class="%s">%02x</span> ', $class, ord($c));
            $ascii .= sprintf('<span class="%s">%s</span>', $class,
                h(ord($c) >= 0x20 && ord($c) < 0x7f ? $c : '.'));
        }
        $pad = str_repeat('   ', 16 - strlen($chunk));
        $out .= sprintf("%08x  %s%s %s\n", $row * 16, $hex, $pad, $ascii);
    }
    return $out;
}

/** Says whether any string in the session appears as-is in the file. */
function demo_plaintext_check(string $file_bytes, array $session): string {
    $found = [];
    array_walk_recursive($session, function ($v) use ($file_bytes, &$found) {
        if (is_string($v) && strlen($v) >= 3 && str_contains($file_bytes, $v)) {
            $found[] = $v;
        }
    });
    return $found
        ? 'FOUND in the file: ' . implode(', ', $found)
        : 'none of the session\'s strings appears in the file';
}

/** The readable part of an envelope header, decoded, or null if it is not one. */
function demo_header(string $head): ?string {
    if (strlen($head) < 49 || !str_starts_with($head, 'RENC') || ord($head[4]) !== 2) {
        return null;
    }
    return sprintf('"RENC", version %d, key id %s, sealed at %s, salt %s, nonce %s',
        ord($head[4]), bin2hex(substr($head, 5, 8)),
        date('Y-m-d H:i:s T', unpack('J', substr($head, 13, 8))[1]),
        bin2hex(substr($head, 21, 16)), bin2hex(substr($head, 37, 12)));
}
