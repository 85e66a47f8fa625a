// Test helper: writes a PEM private key encrypted with a password, as OpenSSL tools do. Key and password come from files.
// Usage: node encrypt-key.mjs <pkcs8KeyFile> <passwordFile> <outFile> <pkcs8|pkcs1>  (pkcs1 = OpenSSL's Proc-Type: 4,ENCRYPTED form)

import { createPrivateKey } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'

const [keyFile, passwordFile, outFile, type] = process.argv.slice(2)
if (type !== 'pkcs8' && type !== 'pkcs1') throw new Error('type must be pkcs8 or pkcs1')
const key = createPrivateKey(readFileSync(keyFile, 'utf8'))
const passphrase = readFileSync(passwordFile, 'utf8')
writeFileSync(outFile, key.export({ type, format: 'pem', cipher: 'aes-256-cbc', passphrase }), { mode: 0o600 })
