// GET /_emulator/api/me: a stand-in resource server that accepts only valid emulator-signed bearer tokens (RFC 6750).
import { errors } from 'jose';
import type { EmulatorContext } from './context.js';
import { jsonReply, withHeaders, type Reply } from './http.js';
import { verifyAccessToken } from './tokens.js';

/** No credentials: a bare challenge, without an error code (RFC 6750 §3.1). */
const missingToken = withHeaders(jsonReply(401, { message: 'A Bearer token is required' }), {
  'WWW-Authenticate': 'Bearer',
});

function invalidToken(description: string): Reply {
  const quoted = description.replace(/["\\]/g, "'");
  return withHeaders(jsonReply(401, { error: 'invalid_token', error_description: description }), {
    'WWW-Authenticate': `Bearer error="invalid_token", error_description="${quoted}"`,
  });
}

/**
 * @param requiredRole `?role=` of the request: a valid token without this app role gets 403, as Graph answers an app
 * that lacks the permission (Authorization_RequestDenied).
 */
export async function handleProtectedApi(
  authorization: string | undefined,
  ctx: EmulatorContext,
  requiredRole?: string,
): Promise<Reply> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) return missingToken;
  try {
    const claims = await verifyAccessToken(ctx.signingKey, token, new Date(ctx.now()));
    const roles = Array.isArray(claims['roles']) ? (claims['roles'] as unknown[]) : [];
    if (requiredRole !== undefined && !roles.includes(requiredRole)) {
      return jsonReply(403, {
        error: {
          code: 'Authorization_RequestDenied',
          message: `Insufficient privileges to complete the operation: the token has no role ${requiredRole}.`,
        },
      });
    }
    return jsonReply(200, {
      appId: claims['appid'],
      tenantId: claims['tid'],
      roles: claims['roles'] ?? [],
      scp: claims['scp'] ?? null,
      aud: claims.aud,
      exp: claims.exp,
    });
  } catch (error) {
    if (error instanceof errors.JOSEError) return invalidToken(`${error.code}: ${error.message}`);
    throw error;
  }
}
