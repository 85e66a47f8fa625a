// A scripted stand-in for a browser, for the Pester tests of -Interactive (the real browser runs in test/browser):
// given the authorize URL, it does what ENTRAAUTH_TEST_BROWSER_ACTION says: approve or decline on the emulator's page
// (then follows the redirect to the loopback listener), forge an answer with another state, or nothing.
const [url] = process.argv.slice(2)
const action = process.env.ENTRAAUTH_TEST_BROWSER_ACTION ?? 'approve'
const authorize = new URL(url)
const redirectUri = authorize.searchParams.get('redirect_uri')

if (action === 'forge') {
  await fetch(`${redirectUri}?code=forged&state=forged-state`)
} else if (action === 'approve' || action === 'decline') {
  const page = await (await fetch(authorize)).text()
  const requestId = /name="request_id" value="([^"]+)"/.exec(page)?.[1]
  const user = /id="user-0" name="user" value="([^"]+)"/.exec(page)?.[1]
  if (requestId === undefined) {
    // An error page or a redirect with error=: deliver what the emulator said.
    const answer = await fetch(authorize, { redirect: 'manual' })
    const location = answer.headers.get('location')
    if (location !== null) await fetch(location)
  } else {
    const form = new URLSearchParams({ request_id: requestId, user: user ?? '', action })
    const posted = await fetch(`${authorize.origin}${authorize.pathname}`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    })
    await fetch(posted.headers.get('location'))
  }
}
