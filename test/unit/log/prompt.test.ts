import { describe, expect, it } from 'vitest'
import { createPromptWriter } from '../../../src/log/prompt.js'
import { Redactor } from '../../../src/log/redact.js'

describe('createPromptWriter', () => {
  it('writes each line of the message as a prompt line, redacted, whatever the log level', () => {
    const lines: string[] = []
    const redactor = new Redactor()
    redactor.addSecret('DAQAB-device-code')
    createPromptWriter(redactor, (line) => lines.push(line))(
      'To sign in, open https://microsoft.com/devicelogin\r\nand enter ABC. DAQAB-device-code\n',
    )
    expect(lines).toEqual([
      '[EntraAuth] prompt: To sign in, open https://microsoft.com/devicelogin\n',
      '[EntraAuth] prompt: and enter ABC. REDACTED\n',
    ])
  })
})
