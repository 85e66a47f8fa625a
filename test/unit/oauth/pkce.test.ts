import { describe, expect, it } from 'vitest'
import { createPkce, randomToken, s256Challenge } from '../../../src/oauth/pkce.js'

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    )
  })

  it('makes a 43-character verifier and its challenge, new each time', () => {
    const first = createPkce()
    const second = createPkce()
    expect(first.verifier).toMatch(/^[\w-]{43}$/)
    expect(first.challenge).toBe(s256Challenge(first.verifier))
    expect(first.method).toBe('S256')
    expect(second.verifier).not.toBe(first.verifier)
    expect(randomToken()).toMatch(/^[\w-]{22}$/)
  })
})
