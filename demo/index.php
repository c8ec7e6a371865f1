<?php
/*
 * The demo page: counts your visits, lets you log in and out, and shows what
 * the session holds next to what rustenc wrote to disk for it.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

demo_start();
$_SESSION['visits'] = ($_SESSION['visits'] ?? 0) + 1;
$session = $_SESSION;
$id = session_id();
$serialized = (string)session_encode();
// Write the session now, so the file below is what this request stored.
session_write_close();

$file = demo_session_file(session_save_path(), $id);
clearstatcache();
$stat = @stat($file);
$head = $stat ? (string)@file_get_contents($file, false, null, 0, 256) : '';
$whole = $stat ? (string)@file_get_contents($file) : '';
$user = $session['user'] ?? null;
?>
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>rustenc demo</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header>
  <h1>rustenc demo</h1>
  <p>PHP sessions stored by <code>session.save_handler = rustenc</code>: sealed with AES-256-GCM, locked per request.</p>
</header>

<section class="card">
<?php if ($user === null): ?>
  <p>You are not logged in. Visits this session: <strong class="count"><?= h((string)$session['visits']) ?></strong></p>
  <form method="post" action="/login.php">
    <input type="hidden" name="csrf" value="<?= h($session['csrf']) ?>">
    <label>Name <input name="name" maxlength="40" required autofocus placeholder="alice"></label>
    <button>Log in</button>
    <small>No password: this only shows what gets stored. Logging in issues a new session id.</small>
  </form>
<?php else: ?>
  <p>Hello, <strong><?= h($user) ?></strong>. Visits this session: <strong class="count"><?= h((string)$session['visits']) ?></strong>
     &mdash; <a href="/">reload</a> to count up.</p>
  <form method="post" action="/logout.php">
    <input type="hidden" name="csrf" value="<?= h($session['csrf']) ?>">
    <button>Log out</button>
    <small>Destroys the session: its file is deleted.</small>
  </form>
<?php endif; ?>
</section>

<div class="columns">
<section class="card">
  <h2>What PHP sees: <code>$_SESSION</code></h2>
  <pre><?= h(print_r($session, true)) ?></pre>
  <p class="note">Serialized, this is the <?= strlen($serialized) ?>-byte plaintext rustenc seals:</p>
  <pre class="small"><?= h($serialized) ?></pre>
</section>

<section class="card">
  <h2>What is on disk</h2>
  <p><code><?= h($file) ?></code></p>
<?php if (!$stat): ?>
  <p class="warn">The file is not there (or not readable by PHP).</p>
<?php else: ?>
  <table>
    <tr><th>size</th><td><?= h((string)$stat['size']) ?> bytes
      (<?= strlen($serialized) ?> of plaintext + 49 of header + 8 of length
      + 16 of tag<?= $stat['size'] > strlen($serialized) + 73 ? ' + padding (rustenc.pad_to)' : '' ?>)</td></tr>
    <tr><th>mode</th><td><?= h(sprintf('%04o', $stat['mode'] & 07777)) ?></td></tr>
    <tr><th>modified</th><td><?= h(date('Y-m-d H:i:s T', $stat['mtime'])) ?></td></tr>
    <tr><th>header</th><td><?= h(demo_header($head) ?? 'not a rustenc envelope') ?></td></tr>
    <tr><th>plaintext?</th><td><?= h(demo_plaintext_check($whole, $session)) ?></td></tr>
  </table>
  <pre class="hex"><?= demo_hexdump($head, (int)$stat['size']) ?></pre>
<?php if ($stat['size'] > 256): ?><p class="note">(first 256 of <?= h((string)$stat['size']) ?> bytes)</p><?php endif; ?>
  <p class="legend">
    <span class="magic">"RENC"</span> magic,
    <span class="version">version</span>,
    <span class="keyid">key id</span>,
    <span class="time">sealed-at timestamp</span>,
    <span class="salt">random salt</span> (the file's own subkey is derived from it),
    <span class="nonce">random nonce</span>, then the
    <span class="cipher">ciphertext</span> of the session's length and serialized data and the 16-byte
    <span class="tag">GCM tag</span>. Only the header is readable; it is bound to the ciphertext
    and to the session id, so the file cannot be edited, or copied to another id, unnoticed.
  </p>
<?php endif; ?>
</section>
</div>
</body>
</html>
