// Whether a certificate may be used now: expired or not yet valid is an error, expiring within 30 days a warning.

import type { X509Certificate } from 'node:crypto'
import { ConfigurationError } from '../errors.js'
import type { Logger } from '../log/logger.js'
import { describeCertificate } from './thumbprint.js'

const DAY_MS = 24 * 60 * 60 * 1000
/** Warn this long before the certificate expires. */
export const EXPIRY_WARNING_DAYS = 30
/** Clock difference tolerated for a certificate that was just created elsewhere. */
const NOT_BEFORE_SKEW_MS = 5 * 60 * 1000

const day = (date: Date): string => date.toISOString().slice(0, 10)

/**
 * Checks the validity period before any request, against the injected clock.
 * @throws ConfigurationError (ERR_INVALID_REQUEST) for an expired or not yet valid certificate
 */
export function checkValidity(certificate: X509Certificate, nowMs: number, logger: Logger): void {
  const notBefore = new Date(certificate.validFrom)
  const notAfter = new Date(certificate.validTo)
  const name = describeCertificate(certificate)
  if (notAfter.getTime() <= nowMs) {
    throw new ConfigurationError(
      `The certificate ${name} expired on ${day(notAfter)}.`,
      'Create a new certificate, upload its public part (.cer) under Certificates & secrets of the app registration, and use the new one here.',
    )
  }
  if (notBefore.getTime() > nowMs + NOT_BEFORE_SKEW_MS) {
    throw new ConfigurationError(
      `The certificate ${name} is not valid before ${notBefore.toISOString()}.`,
      'Check the clock of this machine, or wait until the certificate becomes valid.',
    )
  }
  const daysLeft = Math.floor((notAfter.getTime() - nowMs) / DAY_MS)
  if (daysLeft < EXPIRY_WARNING_DAYS) {
    logger.warning(
      `The certificate ${name} expires on ${day(notAfter)}, in ${daysLeft} day${daysLeft === 1 ? '' : 's'}: create a new one and upload it to the app registration before then.`,
    )
  }
}
