// The GitHub Actions runner's OIDC endpoint (docs/entra-protocol.md §6.4 "GitHub Actions OIDC token"): `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=…` with the request token.
import type { EmulatorContext } from '../context.js';
import { jsonReply, type Reply } from '../http.js';
import { federationData } from './issuers.js';

export const githubTokenPath = '/_emulator/github/token';

/** The subject GitHub gives a job on the main branch of the fake repository. */
export const githubSubject = 'repo:contoso/runbooks:ref:refs/heads/main';

export function handleGithubToken(url: URL, authorization: string | undefined, ctx: EmulatorContext): Reply {
  if (authorization?.replace(/^bearer\s+/i, '') !== federationData.githubRequestToken) {
    return jsonReply(401, { message: 'Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable or the request token is not valid.' });
  }
  const audience = url.searchParams.get('audience') ?? undefined;
  const value = ctx.issuers.mint({ issuer: federationData.issuers.githubActions, subject: githubSubject, ...(audience === undefined ? {} : { audience }) }, ctx.now());
  return jsonReply(200, { count: 1, value });
}
