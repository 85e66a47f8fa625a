import { describe, expect, it } from 'vitest'
import { checkValidity } from '../../../src/certificate/validity.js'
import { createLogger } from '../../../src/log/logger.js'
import { Redactor } from '../../../src/log/redact.js'
import { createTestCertificate } from '../../emulator/testCertificates.js'

const DAY = 24 * 60 * 60 * 1000

function logged(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = []
  return { lines, logger: createLogger('debug', new Redactor(), (line) => lines.push(line)) }
}

describe('checkValidity', () => {
  const now = Date.now()

  it('passes a certificate valid for a year, without a warning', () => {
    const { lines, logger } = logged()
    checkValidity(createTestCertificate({ validTo: new Date(now + 365 * DAY) }).x509, now, logger)
    expect(lines).toEqual([])
  })

  it('warns when it expires within 30 days, naming the day', () => {
    const { lines, logger } = logged()
    const validTo = new Date(now + 10 * DAY + 60_000)
    checkValidity(createTestCertificate({ name: 'soon', validTo }).x509, now, logger)
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^\\[EntraAuth\\] warning: The certificate 'CN=soon' \\(thumbprint [0-9A-F]{40}\\) expires on ${validTo.toISOString().slice(0, 10)}, in 10 days`,
        ),
      ),
    ])
  })

  it('refuses an expired certificate with the day it expired and the fix', () => {
    const validTo = new Date(now - 2 * DAY)
    expect(() =>
      checkValidity(
        createTestCertificate({ name: 'old', validFrom: new Date(now - 400 * DAY), validTo }).x509,
        now,
        logged().logger,
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_REQUEST',
        message: expect.stringContaining(`expired on ${validTo.toISOString().slice(0, 10)}`),
        hint: expect.stringMatching(/new certificate/),
      }),
    )
  })

  it('refuses a certificate that is not valid yet, beyond five minutes of clock skew', () => {
    const future = createTestCertificate({ validFrom: new Date(now + DAY), validTo: new Date(now + 100 * DAY) }).x509
    expect(() => checkValidity(future, now, logged().logger)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/is not valid before/) }),
    )
    const almost = createTestCertificate({ validFrom: new Date(now + 60_000), validTo: new Date(now + 100 * DAY) }).x509
    expect(() => checkValidity(almost, now, logged().logger)).not.toThrow()
  })
})
