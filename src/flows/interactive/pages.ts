// The short pages the listener answers the browser with: signed in, or why not (the terminal says what to do).

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )
}

function page(title: string, body: string, outcome: 'success' | 'failure'): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;color:#222}</style></head>
<body data-entraauth-outcome="${outcome}"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>
`
}

export function successPage(): string {
  return page('Signed in', 'EntraAuth has the sign-in. You can close this window and return to PowerShell.', 'success')
}

/** @param reason what went wrong, without secrets (it is shown in the browser) */
export function failurePage(reason: string): string {
  return page(
    'Sign-in not completed',
    `${reason} You can close this window; PowerShell shows what to do next.`,
    'failure',
  )
}
