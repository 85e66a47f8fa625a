// What to do about each AADSTS code Entra returns: one table, keyed by code (reference-error-codes).

import { CLOUDS } from '../config/constants.js'

export interface HintContext {
  tenant: string
  clientId: string | undefined
  scopes: readonly string[]
  /** The secret sent has the shape of a GUID: likely the secret's ID, not its value. */
  secretLooksLikeId?: boolean
  /** SHA-1 thumbprint (hex) of the certificate that signed the client assertion. */
  certificateThumbprint?: string
  /** The request is a device code sign-in, which needs a public client. */
  deviceCode?: boolean
  /** The request is a browser sign-in (authorization code with PKCE). */
  interactive?: boolean
}

export type Hint = (context: HintContext) => string

const hints: Record<number, Hint> = {
  7000215: (c) =>
    (c.secretLooksLikeId === true ? 'The secret you passed has the shape of a GUID: that is the Secret ID. ' : '') +
    `The client secret is wrong. In the portal, open App registrations > ${c.clientId ?? 'your app'} > Certificates & secrets and copy the secret's Value (shown only right after it is created), not its Secret ID; if the value is lost, create a new secret.`,
  7000222: (c) =>
    `The client secret of app ${c.clientId ?? ''} has expired. Create a new secret under Certificates & secrets and update the script or Automation credential asset; better, move to a certificate or a managed identity.`,
  7000218: (c) =>
    c.deviceCode === true
      ? `App ${c.clientId ?? ''} is not a public client, so a device code sign-in cannot use it. In App registrations > ${c.clientId ?? 'your app'} > Authentication set 'Allow public client flows' to Yes, or omit -ClientId to sign in with EntraAuth's default public client.`
      : c.interactive === true
      ? `App ${c.clientId ?? ''} is a confidential client: a browser sign-in without a secret needs a public client. In App registrations > ${c.clientId ?? 'your app'} > Authentication add the platform 'Mobile and desktop applications' with redirect URI http://localhost and set 'Allow public client flows' to Yes, or omit -ClientId.`
      : 'No client secret or certificate was sent, but the app is a confidential client. Pass -ClientSecret (or -Credential) or a certificate (-CertificatePath, -CertificateThumbprint, -Certificate); for a refresh token of a confidential app pass its secret too.',
  700025: () => 'The app is a public client: omit -ClientSecret when redeeming its refresh token.',
  700016: (c) =>
    `No app with client id ${c.clientId ?? '?'} exists in tenant '${c.tenant}'. Check that -ClientId is the Application (client) ID (not the Object ID) and that -TenantId is the tenant where the app is registered or consented${c.certificateThumbprint === undefined ? '' : '; a certificate only works for the app it is uploaded to'}.`,
  90002: (c) =>
    `Tenant '${c.tenant}' was not found in this cloud. Check -TenantId (Directory (tenant) ID); for a US Government or China tenant pass -Environment USGov or China.`,
  900023: (c) => `Tenant '${c.tenant}' is malformed. Pass the Directory (tenant) ID GUID or a verified domain.`,
  90013: () => 'A parameter was rejected as invalid: check -TenantId, -ClientId and -Scope.',
  900144: () => 'A required parameter was missing from the request: pass -ClientId, and -ClientSecret or -RefreshToken as the flow needs.',
  1002012: (c) => `App-only tokens take one '<resource>/.default' scope; got '${c.scopes.join(' ')}'. Use e.g. https://graph.microsoft.com/.default.`,
  70011: (c) => `The scope '${c.scopes.join(' ')}' is not valid. App-only tokens take '<resource>/.default'; delegated tokens take permissions the user consented to.`,
  700022: () => 'Ask for one resource per token: pass a single -Scope.',
  500011: (c) =>
    `The resource of scope '${c.scopes.join(' ')}' is not known in tenant '${c.tenant}'. Check the resource URI spelling, and that the API's service principal exists in the tenant.`,
  901002: () => "The v2.0 endpoint takes 'scope', not 'resource': pass -Scope <resource>/.default.",
  9001023: () => "This grant is not allowed on 'common' or 'consumers': pass your tenant ID.",
  50059: () => 'No tenant was identified: pass -TenantId with your Directory (tenant) ID.',
  70003: () => 'The grant type is not supported for this app or endpoint.',
  50173: () => 'The refresh token was revoked (password change or admin action). Sign in again to get a new one.',
  700082: () => 'The refresh token expired after 90 days without use. Sign in again to get a new one.',
  70008: () => 'The refresh token or code has expired. Sign in again to get a new one.',
  700024: () =>
    'The client assertion is outside its valid time range: the clock of this machine is off. Set it right (w32tm /resync on Windows, timedatectl on Linux) and try again.',
  700027: (c) =>
    `The certificate${c.certificateThumbprint === undefined ? '' : ` with thumbprint ${c.certificateThumbprint}`} is not registered on app ${c.clientId ?? ''}, or the signature does not match it. Upload the certificate's public part (.cer or .pem, no key) under App registrations > ${c.clientId ?? 'your app'} > Certificates & secrets > Certificates, and check that the thumbprint shown there is this one; a newly uploaded certificate can take a few minutes to be used.`,
  700021: () => 'The client assertion names another app than -ClientId: pass the Application (client) ID the certificate is registered on.',
  50048: () => "The client assertion's issuer and subject differ: both must be the client id. This points to a bug in the signer; report it.",
  50012: () => 'The client assertion is for another token endpoint: check -TenantId, -Environment and -AuthorityHost.',
  50027: () => 'The client assertion is not a valid JWT with a certificate thumbprint: this points to a bug in the signer; report it.',
  700211: () => "No federated credential of the app has this token's issuer: add one (Certificates & secrets > Federated credentials) with the issuer exactly as the token has it.",
  700212: () => `The federated token has another audience than the credential: use the cloud's token exchange audience on both sides (${Object.entries(CLOUDS).map(([name, cloud]) => `${name}: ${cloud.tokenExchangeAudience}`).join(', ')}).`,
  700213: () => "No federated credential of the app has this token's subject: the subject must match exactly (e.g. repo:<org>/<repo>:ref:refs/heads/<branch> or system:serviceaccount:<namespace>:<name>).",
  7002138: () => 'The subject matches a federated credential only when case is ignored: fix the case in the credential, matching is case-sensitive.',
  70021: () => 'No federated credential matches issuer, subject and audience of the token: compare them with the app\'s federated credentials.',
  7000112: (c) => `App ${c.clientId ?? ''} is disabled in this tenant. An administrator must enable its service principal.`,
  65001: (c) =>
    `Nobody has consented to app ${c.clientId ?? ''} using '${c.scopes.join(' ')}' in this tenant. Sign in with -Interactive and accept the consent page (add -Prompt consent to see it again), or have an administrator grant admin consent (Enterprise applications > the app > Permissions).`,
  65002: (c) =>
    `App ${c.clientId ?? ''} is a Microsoft first-party client that is not preauthorized for '${c.scopes.join(' ')}', and nobody can consent to that. Omit -ClientId: EntraAuth then signs in with the Microsoft Graph Command Line Tools client for Graph scopes and with Azure PowerShell's client for Azure resources; or register your own app (public client, redirect URI http://localhost) with these API permissions and pass its -ClientId.`,
  65004: () => 'The consent was declined on the sign-in page. Run the command again and accept it, or ask an administrator to grant admin consent for the app.',
  53003: (c) =>
    `Conditional Access blocked the sign-in.${c.deviceCode === true ? ' Many tenants block the device code flow: sign in with -Interactive instead.' : ''} Sign in from a device and location the policies allow (a compliant or hybrid-joined device, a trusted network), or ask an administrator which policy applies (Entra sign-in logs show it, by the Correlation ID below).`,
  50076: () => 'Multi-factor authentication is required for this resource: sign in with -Interactive (or -DeviceCode) and complete the MFA prompt; a refresh token from a sign-in without MFA cannot do it.',
  50079: () => 'The user must register for multi-factor authentication first: sign in with -Interactive (or -DeviceCode), which leads through the registration, then run the command again.',
  50126: () => 'The user name or password was wrong. Check the account (the UPN, e.g. admin@contoso.onmicrosoft.com) and its password in the browser sign-in; -LoginHint fills in the account.',
  50011: (c) =>
    `The redirect URI EntraAuth listens on (http://localhost:<port>/) is not registered on app ${c.clientId ?? ''}. In App registrations > the app > Authentication add the platform 'Mobile and desktop applications' with the redirect URI http://localhost (Entra accepts any port for it), or omit -ClientId.`,
  700054: () => 'The response type is not enabled for this app.',
}

/** Hints for OAuth `error` values that arrive without a known AADSTS code. */
const errorHints: Record<string, Hint> = {
  invalid_client: () => 'Check -ClientId and the credential (secret value or certificate) of the app registration.',
  invalid_grant: () => 'The refresh token is no longer valid. Sign in again to get a new one.',
  unauthorized_client: (c) => `Check that app ${c.clientId ?? ''} exists in tenant '${c.tenant}' and may use this grant.`,
  invalid_scope: () => 'Check -Scope: app-only tokens take one <resource>/.default scope.',
  invalid_request: () => 'Check -TenantId, -ClientId and -Scope.',
  temporarily_unavailable: () => 'Entra is busy: try again in a minute.',
  access_denied: () => 'The sign-in or consent was declined on the sign-in page: run the command again and accept it.',
  consent_required: () => 'Consent is needed for these permissions: run again with -Prompt consent and accept it, or ask an administrator to grant admin consent.',
  interaction_required: () => 'Entra needs the user at the sign-in page (MFA, consent or a policy): run again with -Interactive and complete it.',
  login_required: () => 'Entra needs the user to sign in: run again with -Interactive (without -Prompt none).',
  bad_verification_code: () => 'Entra did not accept the device code (another tenant or client, or a code used before): run the command again.',
}

/** The two tables, read-only, for the docs (build/docs.mjs renders them into docs/troubleshooting.md). */
export const AADSTS_HINTS: Readonly<Record<number, Hint>> = hints
export const OAUTH_ERROR_HINTS: Readonly<Record<string, Hint>> = errorHints

/** The hint for an Entra error, by AADSTS code first, then by the OAuth `error` value. */
export function hintFor(errorCodes: readonly number[] | undefined, error: string, context: HintContext): string | undefined {
  for (const code of errorCodes ?? []) {
    const hint = hints[code]
    if (hint !== undefined) return hint(context)
  }
  return errorHints[error]?.(context)
}
