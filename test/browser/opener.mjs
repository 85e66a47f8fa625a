#!/usr/bin/env node
// The test opener (ENTRAAUTH_BROWSER): hands the sign-in URL to the test, which drives headless Chromium with it.
// POSTs the URL (its only argument) to the loopback address in ENTRAAUTH_TEST_OPENER_SINK; exits 0 once it is taken.
import { request } from 'node:http'

const [url] = process.argv.slice(2)
const sink = process.env.ENTRAAUTH_TEST_OPENER_SINK
if (url === undefined || sink === undefined) {
  process.stderr.write('usage: ENTRAAUTH_TEST_OPENER_SINK=http://127.0.0.1:<port>/ opener.mjs <url>\n')
  process.exit(2)
}
const exitCode = process.env.ENTRAAUTH_TEST_OPENER_EXIT
const post = request(sink, { method: 'POST', headers: { 'Content-Type': 'text/plain' } }, (response) => {
  response.resume()
  process.exitCode = exitCode === undefined ? (response.statusCode === 204 ? 0 : 1) : Number(exitCode)
})
post.on('error', () => (process.exitCode = 1))
post.end(url)
