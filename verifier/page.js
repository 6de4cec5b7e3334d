'use strict';
// The small HTML pages the verifier answers with; every value printed is escaped.

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * @param {string} title
 * @param {string} body  already escaped HTML
 */
function page(title, body) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
${body}
</body>
</html>
`;
}

/**
 * For a signed-in user outside the host's allowed groups.
 * @param {{ app: string, groups: readonly string[], signoutUrl: string }} info
 */
function forbiddenPage(info) {
  const groups = info.groups.map((g) => `<li><code>${escapeHtml(g)}</code></li>`).join('');
  return page(
    `${info.app}: access denied`,
    `<h1>You are signed in, but not allowed to use ${escapeHtml(info.app)}</h1>
<p>${escapeHtml(info.app)} is open to members of ${info.groups.length === 1 ? 'this group' : 'these groups'}:</p>
<ul>${groups}</ul>
<p>Ask an administrator to add you to one of them, or <a href="${escapeHtml(info.signoutUrl)}">sign out</a> and sign in as someone else.</p>`,
  );
}

/**
 * @param {number} status
 * @param {string} message
 */
function statusPage(status, message) {
  return page(`${status} ${message}`, `<h1>${status} ${escapeHtml(message)}</h1>`);
}

module.exports = { escapeHtml, forbiddenPage, statusPage };
