// The certificates registered on app registrations: by thumbprint (uploaded .cer), or trusted by subject name and issuer.
import { createHash, X509Certificate } from 'node:crypto';
import { EmulatorInputError } from './validation.js';

export interface RegisteredCertificate {
  readonly x509: X509Certificate;
  readonly sha1: Buffer;
  readonly sha256: Buffer;
}

/** Subject name + issuer (SNI) authentication: any certificate with this subject issued by this CA. */
export interface SubjectNameTrust {
  /** As X509Certificate.subject gives it, e.g. `CN=app.contoso.example`. */
  readonly subject: string;
  readonly issuer: X509Certificate;
}

export interface AppCertificates {
  readonly certificates: readonly RegisteredCertificate[];
  readonly trusts: readonly SubjectNameTrust[];
}

export interface CertificateStore {
  /** Uploads a certificate's public part to the app, as the portal's Certificates tab does. */
  register(tenantId: string, clientId: string, certificate: X509Certificate): RegisteredCertificate;
  trustSubjectName(tenantId: string, clientId: string, trust: SubjectNameTrust): void;
  forApp(tenantId: string, clientId: string): AppCertificates;
}

export function digests(certificate: X509Certificate): { sha1: Buffer; sha256: Buffer } {
  return {
    sha1: createHash('sha1').update(certificate.raw).digest(),
    sha256: createHash('sha256').update(certificate.raw).digest(),
  };
}

/** A certificate given as PEM or base64 DER; throws EmulatorInputError otherwise. */
export function parseCertificate(text: string, what: string): X509Certificate {
  try {
    return new X509Certificate(text.includes('-----BEGIN') ? text : Buffer.from(text, 'base64'));
  } catch (error) {
    throw new EmulatorInputError(`'${what}' is not a PEM or base64 DER certificate`, { cause: error });
  }
}

export function createCertificateStore(): CertificateStore {
  const apps = new Map<string, { certificates: RegisteredCertificate[]; trusts: SubjectNameTrust[] }>();
  const entry = (tenantId: string, clientId: string) => {
    const key = `${tenantId}/${clientId}`.toLowerCase();
    let app = apps.get(key);
    if (app === undefined) {
      app = { certificates: [], trusts: [] };
      apps.set(key, app);
    }
    return app;
  };
  return {
    register(tenantId, clientId, x509) {
      const app = entry(tenantId, clientId);
      const registered = { x509, ...digests(x509) };
      if (!app.certificates.some((existing) => existing.sha256.equals(registered.sha256)))
        app.certificates.push(registered);
      return registered;
    },
    trustSubjectName(tenantId, clientId, trust) {
      entry(tenantId, clientId).trusts.push(trust);
    },
    forApp: (tenantId, clientId) =>
      apps.get(`${tenantId}/${clientId}`.toLowerCase()) ?? { certificates: [], trusts: [] },
  };
}
