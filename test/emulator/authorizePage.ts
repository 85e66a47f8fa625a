// The emulator's sign-in and consent page: pick a test user, approve or decline; and its error page.
import type { AuthorizationRequest } from './authorizationCodes.js';
import type { StsError } from './errors.js';

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export interface TestUser {
  readonly userId: string;
  readonly userName: string;
  readonly displayName: string;
}

/** The page of one pending sign-in. Stable ids and data attributes for browser tests: #user-<n>, #approve, #decline. */
export function signInPage(
  requestId: string,
  request: AuthorizationRequest,
  appName: string,
  users: readonly TestUser[],
): string {
  const hint = request.loginHint?.toLowerCase();
  const selected = Math.max(
    0,
    users.findIndex((user) => user.userName.toLowerCase() === hint),
  );
  const choices = users
    .map(
      (user, index) =>
        `<label><input type="radio" id="user-${index}" name="user" value="${escapeHtml(user.userName)}"${index === selected ? ' checked' : ''}> ${escapeHtml(user.displayName)} (${escapeHtml(user.userName)})</label><br>`,
    )
    .join('\n');
  const permissions = request.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Entra emulator</title></head>
<body data-prompt="${escapeHtml(request.prompt ?? '')}" data-login-hint="${escapeHtml(request.loginHint ?? '')}">
<h1>Sign in to ${escapeHtml(appName)}</h1>
<form method="post" action="">
<input type="hidden" name="request_id" value="${escapeHtml(requestId)}">
${choices}
<p>${escapeHtml(appName)} asks for these permissions:</p><ul id="permissions">${permissions}</ul>
<button type="submit" id="approve" name="action" value="approve">Accept</button>
<button type="submit" id="decline" name="action" value="decline">Cancel</button>
</form></body></html>
`;
}

/** What Entra shows when it cannot redirect (unknown app, unregistered redirect URI): the error stays in the browser. */
export function errorPage(error: StsError): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in error - Entra emulator</title></head>
<body data-error-code="${error.code}"><h1>Sorry, but we're having trouble signing you in.</h1>
<p id="error">${escapeHtml(error.message)}</p></body></html>
`;
}
