// Redirect URI matching for public clients (Entra's rules for 'Mobile and desktop applications').
import type { DirectoryApp } from './directory.js';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/**
 * True when `requested` is registered on the app. A loopback URI (http://localhost, 127.0.0.1, [::1]) matches
 * whatever its port (RFC 8252 7.3, as Entra applies it), scheme, host and path exactly (an empty path is `/`);
 * anything else must be the registered string itself.
 */
export function isRegisteredRedirectUri(app: DirectoryApp, requested: string): boolean {
  const asked = parse(requested);
  for (const registered of app.redirectUris ?? []) {
    if (registered === requested) return true;
    const known = parse(registered);
    if (asked === undefined || known === undefined) continue;
    if (known.protocol !== 'http:' || !loopbackHosts.has(known.hostname)) continue;
    if (
      asked.protocol === known.protocol &&
      asked.hostname === known.hostname &&
      asked.pathname === known.pathname &&
      asked.search === '' &&
      asked.hash === ''
    )
      return true;
  }
  return false;
}
