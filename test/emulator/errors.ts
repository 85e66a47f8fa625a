// AADSTS error table and the exact error body of Entra's v2.0 endpoints (docs/entra-protocol.md §5.1 "Shape" and §5.2 "Status-code mapping (emulator table)").
import { jsonReply, type Reply } from './http.js';

export interface StsErrorInit {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  readonly text: string;
  readonly suberror?: string;
}

/** An OAuth error the emulator answers with; thrown by grant handlers, turned into a reply at the edge. */
export class StsError extends Error {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  readonly text: string;
  readonly suberror: string | undefined;

  constructor(init: StsErrorInit) {
    super(`AADSTS${init.code}: ${init.text}`);
    this.name = this.constructor.name;
    this.status = init.status;
    this.error = init.error;
    this.code = init.code;
    this.text = init.text;
    this.suberror = init.suberror;
  }
}

/** `error` value for tenant lookups: `invalid_request` on the token endpoint, `invalid_tenant` on discovery. */
export type TenantErrorName = 'invalid_request' | 'invalid_tenant';

const err = (init: StsErrorInit): StsError => new StsError(init);

/** Every AADSTS answer the emulator gives, keyed by scenario. Texts follow the real service (doc §5.2). */
export const aadsts = {
  postOnly: (method: string) => err({ status: 400, error: 'invalid_request', code: 900561,
    text: `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.` }),
  tenantNotFound: (tenant: string, error: TenantErrorName) => err({ status: 400, error, code: 90002,
    text: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.` }),
  malformedTenant: (tenant: string, error: TenantErrorName) => err({ status: 400, error, code: 900023,
    text: `Specified tenant identifier '${tenant}' is neither a valid DNS name, nor a valid external domain.` }),
  grantNotSupportedOnMultiTenant: () => err({ status: 400, error: 'invalid_request', code: 9001023,
    text: 'The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.' }),
  missingParameter: (name: string) => err({ status: 400, error: 'invalid_request', code: 900144,
    text: `The request body must contain the following parameter: '${name}'.` }),
  resourceParameterNotSupported: () => err({ status: 400, error: 'invalid_request', code: 901002,
    text: "The 'resource' request parameter is not supported." }),
  unsupportedGrantType: (grantType: string) => err({ status: 400, error: 'unsupported_grant_type', code: 70003,
    text: `The app requested an unsupported grant type '${grantType}'.` }),
  applicationNotFound: (clientId: string, tenant: string) => err({ status: 400, error: 'unauthorized_client', code: 700016,
    text: `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.` }),
  missingClientCredential: () => err({ status: 401, error: 'invalid_client', code: 7000218,
    text: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." }),
  invalidClientSecret: (clientId: string) => err({ status: 401, error: 'invalid_client', code: 7000215,
    text: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.` }),
  expiredClientSecret: (clientId: string) => err({ status: 401, error: 'invalid_client', code: 7000222,
    text: `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.` }),
  publicClientWithSecret: () => err({ status: 401, error: 'invalid_client', code: 700025,
    text: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented." }),
  malformedAssertion: () => err({ status: 401, error: 'invalid_client', code: 50027,
    text: 'JWT token is invalid or malformed.' }),
  assertionWithoutThumbprint: () => err({ status: 401, error: 'invalid_client', code: 50027,
    text: 'Invalid JWT token. No certificate thumbprint specified in token header.' }),
  unsupportedAssertionAlgorithm: (alg: string) => err({ status: 401, error: 'invalid_client', code: 50027,
    text: `Invalid JWT token. The signing algorithm '${alg}' is not supported; use RS256 or PS256.` }),
  certificateNotRegistered: (thumbprint: string, clientId: string) => err({ status: 401, error: 'invalid_client', code: 700027,
    text: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .]` }),
  invalidAssertionSignature: (thumbprint: string) => err({ status: 401, error: 'invalid_client', code: 700027,
    text: `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}']` }),
  assertionOutsideTimeRange: (now: string, validFrom: string, expiry: string) => err({ status: 401, error: 'invalid_client', code: 700024,
    text: `Client assertion is not within its valid time range. Current time: ${now}, assertion valid from ${validFrom}, expiry time of assertion ${expiry}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .` }),
  federatedIssuerMismatch: (issuer: string) => err({ status: 401, error: 'invalid_client', code: 700211,
    text: `No matching federated identity record found for presented assertion issuer '${issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation` }),
  federatedSubjectMismatch: (subject: string) => err({ status: 401, error: 'invalid_client', code: 700213,
    text: `No matching federated identity record found for presented assertion subject '${subject}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation` }),
  federatedSubjectCaseMismatch: (subject: string) => err({ status: 401, error: 'invalid_client', code: 7002138,
    text: `No matching federated identity record found for presented assertion subject '${subject}'. The subject matches a federated identity credential only when compared case-insensitively; matching is case-sensitive.` }),
  federatedAudienceMismatch: (audience: string) => err({ status: 401, error: 'invalid_client', code: 700212,
    text: `No matching federated identity record found for presented assertion audience '${audience}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation` }),
  federatedSignatureInvalid: (issuer: string) => err({ status: 401, error: 'invalid_client', code: 700027,
    text: `Client assertion failed signature validation. [Reason - The key was not found in the signing keys of issuer '${issuer}'.]` }),
  assertionSubjectMismatch: () => err({ status: 401, error: 'invalid_client', code: 50048,
    text: 'Subject mismatches Issuer claim in the client assertion.' }),
  assertionClientMismatch: () => err({ status: 401, error: 'invalid_client', code: 700021,
    text: "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials ." }),
  assertionAudienceMismatch: () => err({ status: 401, error: 'invalid_client', code: 50012,
    text: 'Client assertion audience claim does not match Realm issuer.' }),
  scopeWithoutDefault: (scope: string) => err({ status: 400, error: 'invalid_scope', code: 1002012,
    text: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).` }),
  multipleResources: (scope: string) => err({ status: 400, error: 'invalid_scope', code: 700022,
    text: `The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.` }),
  resourceNotFound: (resource: string, tenant: string) => err({ status: 400, error: 'invalid_resource', code: 500011,
    text: `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.` }),
  refreshTokenRevoked: () => err({ status: 400, error: 'invalid_grant', code: 50173, suberror: 'bad_token',
    text: 'The provided grant has expired due to it being revoked, and a fresh auth token is needed. The user might have changed or reset their password.' }),
  // Device code flow (doc §4.2). Entra gives slow_down and authorization_declined without a documented AADSTS code:
  // 70016 and 70019/70020 are observed/documented; the two others carry codes chosen here (assumption, doc §12).
  authorizationPending: () => err({ status: 400, error: 'authorization_pending', code: 70016,
    text: 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.' }),
  slowDown: () => err({ status: 400, error: 'slow_down', code: 70017,
    text: 'OAuth 2.0 device flow error. Polling too fast: add 5 seconds to the interval.' }),
  authorizationDeclined: () => err({ status: 400, error: 'authorization_declined', code: 70015,
    text: 'OAuth 2.0 device flow error. The user declined the authorization request.' }),
  badVerificationCode: () => err({ status: 400, error: 'bad_verification_code', code: 70018,
    text: 'The provided value for the input parameter \'device_code\' is not valid.' }),
  deviceCodeExpired: () => err({ status: 400, error: 'expired_token', code: 70020,
    text: 'The provided authorization code or refresh token has expired due to inactivity. This device code has expired.' }),
  deviceCodeRedeemed: () => err({ status: 400, error: 'invalid_grant', code: 54005,
    text: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.' }),
  // Browser sign-in (doc §2.6). 65002's `error` value is not documented: invalid_client is assumed here.
  firstPartyNotPreauthorized: (clientId: string, resourceAppId: string) => err({ status: 400, error: 'invalid_client', code: 65002,
    text: `Consent between first party application '${clientId}' and first party resource '${resourceAppId}' must be configured via preauthorization - applications owned and operated by Microsoft must get approval from the API owner before requesting tokens for that API.` }),
  redirectUriMismatch: (redirectUri: string, clientId: string) => err({ status: 400, error: 'invalid_request', code: 50011,
    text: `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.` }),
  unsupportedResponseType: (responseType: string) => err({ status: 400, error: 'unsupported_response_type', code: 700054,
    text: `response_type '${responseType}' is not enabled for the application.` }),
  pkceRequired: () => err({ status: 400, error: 'invalid_request', code: 9002325,
    text: 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.' }),
  unsupportedChallengeMethod: (method: string) => err({ status: 400, error: 'invalid_request', code: 50147,
    text: `The code_challenge_method '${method}' is not supported; use S256 or plain.` }),
  userDeclinedConsent: () => err({ status: 400, error: 'access_denied', code: 65004,
    text: 'User declined to consent to access the app.' }),
  loginRequired: () => err({ status: 400, error: 'login_required', code: 50058,
    text: 'A silent sign-in request was sent but no user is signed in.' }),
  codeVerifierMismatch: () => err({ status: 400, error: 'invalid_grant', code: 501481,
    text: "The Code_Verifier doesn't match the code_challenge supplied in the authorization request." }),
  codeVerifierMissing: () => err({ status: 400, error: 'invalid_request', code: 50148,
    text: 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.' }),
  authorizationCodeInvalid: () => err({ status: 400, error: 'invalid_grant', code: 70000,
    text: 'The provided value for the \'code\' parameter is not valid.' }),
  authorizationCodeExpired: () => err({ status: 400, error: 'invalid_grant', code: 70008,
    text: 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.' }),
  redirectUriChanged: () => err({ status: 400, error: 'invalid_grant', code: 70000,
    text: "The redirect_uri does not match the one the authorization code was issued for." }),
  serverError: () => err({ status: 500, error: 'server_error', code: 90033,
    text: 'A transient error has occurred. Please try again.' }),
  temporarilyUnavailable: () => err({ status: 503, error: 'temporarily_unavailable', code: 90033,
    text: 'The server is temporarily too busy to handle the request.' }),
  throttled: () => err({ status: 429, error: 'temporarily_unavailable', code: 90055,
    text: 'There are too many incoming requests. Please try again later.' }),
} as const;

/** Ids a reply carries: `trace_id` (also `x-ms-request-id`) and `correlation_id` (the client-request-id). */
export interface RequestIds {
  readonly traceId: string;
  readonly correlationId: string;
}

/** `yyyy-MM-dd HH:mm:ssZ`, the service's timestamp format. */
function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

function errorBody(error: StsError, ids: RequestIds, now: Date): Record<string, unknown> {
  const timestamp = formatTimestamp(now);
  return {
    error: error.error,
    error_description: `${error.message} Trace ID: ${ids.traceId} Correlation ID: ${ids.correlationId} Timestamp: ${timestamp}`,
    error_codes: [error.code],
    timestamp,
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${error.code}`,
    ...(error.suberror === undefined ? {} : { suberror: error.suberror }),
  };
}

export function errorReply(error: StsError, ids: RequestIds, now: Date, headers: Record<string, string> = {}): Reply {
  return jsonReply(error.status, errorBody(error, ids, now), headers);
}
