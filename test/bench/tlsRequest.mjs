// A floor of the benchmark: one token request over a new TLS connection from a bare Node process (node:https, no
// EntraAuth code), timed inside the process so its start is not counted. Prints the milliseconds.
// Usage: <node> tlsRequest.mjs <token endpoint URL> <client id> (the secret comes on stdin, never on argv)

import { request } from 'node:https'
import { performance } from 'node:perf_hooks'

const [url, clientId] = process.argv.slice(2)
const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const secret = Buffer.concat(chunks).toString('utf8').trim()
const body = new URLSearchParams({
  grant_type: 'client_credentials',
  client_id: clientId,
  client_secret: secret,
  scope: 'https://graph.microsoft.com/.default',
}).toString()
const started = performance.now()
const status = await new Promise((resolve, reject) => {
  const req = request(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
    },
    (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    },
  )
  req.on('error', reject)
  req.end(body)
})
const elapsed = performance.now() - started
if (status !== 200) throw new Error(`the token endpoint answered ${status}`)
process.stdout.write(`${elapsed}\n`)
