// Who issues the TLS certificates of Microsoft's login hosts: any other issuer means something in between re-signs.

/**
 * Issuer organisations of the certificates login.microsoftonline.com, login.microsoftonline.us and
 * login.chinacloudapi.cn present (Azure's TLS issuing CAs, "Microsoft Azure RSA TLS Issuing CA 03" and the like,
 * and DigiCert's, which Microsoft also uses; China's 21Vianet hosts use DigiCert and GlobalSign).
 */
export const EXPECTED_ISSUER_ORGANIZATIONS = [
  'Microsoft Corporation',
  'DigiCert Inc',
  'DigiCert, Inc.',
  'GlobalSign nv-sa',
] as const

/** True when the leaf's issuer is one Microsoft's login hosts use, or one named in ENTRAAUTH_TLS_EXPECTED_ISSUERS. */
export function isExpectedIssuer(issuer: string, organization: string | undefined, extra: readonly string[]): boolean {
  if (extra.some((name) => name.toLowerCase() === issuer.toLowerCase())) return true
  if (organization === undefined) return false
  return EXPECTED_ISSUER_ORGANIZATIONS.some((name) => name.toLowerCase() === organization.toLowerCase())
}
