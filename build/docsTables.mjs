// Renders the docs' generated tables (Markdown) from the facts build/docsSources.mjs reads.

/** Text for a Markdown table cell: no raw HTML (`<tenant>` would vanish), no column break, no line break. */
export function cell(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

const code = (text) => `\`${text}\``

/** The variables, one row per group of names that mean the same thing. */
export function environmentTable({ documentedEnvironmentVariables }) {
  return table(
    ['Variable', 'Read by', 'Effect'],
    documentedEnvironmentVariables().map((entry) => [entry.names.map(code).join(', '), entry.readBy, cell(entry.meaning)]),
  )
}

/** Every code either side raises: the core's (errors.ts) first, then those only the module raises. */
export function errorCodeTable({ defaultMessages, ERROR_GUIDE, categories }) {
  const codes = [...Object.keys(defaultMessages), ...Object.keys(ERROR_GUIDE).filter((name) => !(name in defaultMessages))]
  return table(
    ['Code', 'PowerShell category', 'Meaning', 'When', 'Fix'],
    codes.map((name) => {
      const guide = ERROR_GUIDE[name] ?? {}
      const category = categories[name] ?? 'NotSpecified (not in the module\'s table)'
      const raisedBy = name in defaultMessages ? '' : ' (module only)'
      return [`${code(`EntraAuth.${name}`)}${raisedBy}`, category, cell(defaultMessages[name] ?? guide.meaning ?? ''), cell(guide.when ?? ''), cell(guide.fix ?? '')]
    }),
  )
}

/** The situations a hint can differ by, each with the label its variant gets in the table. */
const HINT_CONTEXTS = [
  ['', {}],
  ['When the secret passed is GUID-shaped', { secretLooksLikeId: true }],
  ['With a certificate', { certificateThumbprint: '<thumbprint>' }],
  ['With -DeviceCode', { deviceCode: true }],
  ['With -Interactive', { interactive: true }],
]

/** The hint text of each situation that changes it, labelled; the plain one first. */
function hintVariants(hint) {
  const base = { tenant: '<tenant>', clientId: '<client id>', scopes: ['<scope>'] }
  const seen = new Set()
  const parts = []
  for (const [label, extra] of HINT_CONTEXTS) {
    const text = hint({ ...base, ...extra })
    if (seen.has(text)) continue
    seen.add(text)
    parts.push(label === '' ? cell(text) : `**${label}:** ${cell(text)}`)
  }
  return parts.join('<br>')
}

export function aadstsHintTable({ AADSTS_HINTS }) {
  return table(
    ['AADSTS', 'Hint'],
    Object.entries(AADSTS_HINTS).map(([number, hint]) => [`AADSTS${number}`, hintVariants(hint)]),
  )
}

export function oauthErrorHintTable({ OAUTH_ERROR_HINTS }) {
  return table(
    ['OAuth `error`', 'Hint'],
    Object.entries(OAUTH_ERROR_HINTS).map(([name, hint]) => [code(name), hintVariants(hint)]),
  )
}
