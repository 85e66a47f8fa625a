import { request } from 'node:http'
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { openLoopbackListener } from '../../../../src/flows/interactive/loopbackListener.js'

function get(port: number, path: string, host = '127.0.0.1'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request({ host, port, path, headers: { host: `localhost:${port}` } }, (response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    sent.on('error', reject).end()
  })
}

function refused(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host })
      .once('connect', () => (socket.destroy(), resolve(false)))
      .once('error', () => resolve(true))
  })
}

describe('loopback listener', () => {
  it('listens on http://localhost:<port>/ at 127.0.0.1 (and ::1 where there is IPv6); only a redirect with code or error counts', async () => {
    const listener = await openLoopbackListener()
    try {
      expect(listener.redirectUri).toBe(`http://localhost:${listener.port}/`)
      expect(listener.addresses).toContain('127.0.0.1')
      expect((await get(listener.port, '/favicon.ico')).status).toBe(404)
      expect((await get(listener.port, '/')).status).toBe(404)
      expect((await get(listener.port, '/other?code=x')).status).toBe(404)
      const answer = get(listener.port, '/?code=abc&state=s', listener.addresses.includes('::1') ? '::1' : '127.0.0.1')
      const redirect = await listener.redirect
      expect(redirect.params.get('code')).toBe('abc')
      await redirect.respond('<p>done</p>')
      expect(await answer).toEqual({ status: 200, body: '<p>done</p>' })
      // Exactly one answer: a second redirect is not taken.
      expect((await get(listener.port, '/?code=again&state=s')).status).toBe(404)
    } finally {
      await listener.close()
    }
    for (const host of listener.addresses) expect(await refused(listener.port, host)).toBe(true)
  })
})
