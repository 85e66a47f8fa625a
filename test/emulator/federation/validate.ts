// Validates a federated client assertion as Entra does (docs/entra-protocol.md §6.3 "How Entra validates a federated assertion"): exact issuer, subject and audience, the issuer's signature, time.
import { decodeAssertion } from '../certificateAssertion.js';
import { aadsts } from '../errors.js';
import { federationData, type ExternalIssuers } from './issuers.js';

/** Clock skew allowed on `nbf` and `exp`. */
const skewSeconds = 300;

/** An https `iss` marks an assertion from another identity provider; certificate assertions carry the client id. */
export function isFederatedAssertion(assertion: string): boolean {
  const iss = decodeAssertion(assertion)?.claims['iss'];
  return typeof iss === 'string' && iss.startsWith('https://');
}

const numericDate = (value: unknown): number | undefined => (typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined);
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** Throws the StsError Entra would answer with; returns when the assertion matches a credential of the app. */
export function verifyFederatedAssertion(assertion: string, clientId: string, issuers: ExternalIssuers, now: Date): void {
  const decoded = decodeAssertion(assertion);
  if (decoded === undefined) throw aadsts.malformedAssertion();
  if (decoded.header['alg'] !== 'RS256') throw aadsts.unsupportedAssertionAlgorithm(String(decoded.header['alg']));
  const { iss, sub } = decoded.claims;
  const audiences = ([] as unknown[]).concat(decoded.claims['aud']).filter((value): value is string => typeof value === 'string');
  const issuerMatches = federationData.credentials.filter((credential) => credential.clientId.toLowerCase() === clientId.toLowerCase() && credential.issuer === iss);
  if (typeof iss !== 'string' || issuerMatches.length === 0) throw aadsts.federatedIssuerMismatch(String(iss));
  if (!issuers.verifySignature(assertion, iss)) throw aadsts.federatedSignatureInvalid(iss);
  const subjectMatches = issuerMatches.filter((credential) => credential.subject === sub);
  if (subjectMatches.length === 0) {
    const caseOnly = issuerMatches.some((credential) => typeof sub === 'string' && credential.subject.toLowerCase() === sub.toLowerCase());
    throw caseOnly ? aadsts.federatedSubjectCaseMismatch(String(sub)) : aadsts.federatedSubjectMismatch(String(sub));
  }
  if (!subjectMatches.some((credential) => credential.audiences.some((audience) => audiences.includes(audience)))) throw aadsts.federatedAudienceMismatch(audiences.join(', '));
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const notBefore = numericDate(decoded.claims['nbf']) ?? 0;
  const expiry = numericDate(decoded.claims['exp']);
  if (expiry === undefined || nowSeconds > expiry + skewSeconds || nowSeconds + skewSeconds < notBefore) {
    throw aadsts.assertionOutsideTimeRange(now.toISOString(), iso(notBefore), expiry === undefined ? 'none' : iso(expiry));
  }
}
