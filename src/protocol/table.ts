// The typed view of protocol.json, the one table of the PowerShell/core protocol (the module's side is generated from it).

import table from './protocol.json' with { type: 'json' }

export const PROTOCOL_TABLE = table

/** Every error code of the table: the core's (side core or both) and the module's own (side module). */
export type ProtocolErrorCode = keyof typeof table.errors

/** The codes only the module reports (side "module"); every other code of the table is the core's (src/errors.ts). */
export type ModuleErrorCode = 'ERR_CORE_UNAVAILABLE' | 'ERR_KEY_NOT_EXPORTABLE'

/** True when two types are the same: compile-time checks that the TypeScript types say what the table says. */
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

/** The request field names the core accepts; any other field is ERR_PROTOCOL. */
export type RequestFieldName = keyof typeof table.requestFields

export type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]' | 'object'

export interface FieldSpec {
  type: FieldType
  required?: boolean
  secret?: boolean
  /** The cmdlet parameter the value comes from, for secrets the module keeps as SecureString. */
  parameter?: string
  /** For `type: object`: the table of `objects` its fields are in. */
  object?: string
  text: string
}

export const REQUEST_FIELDS: Readonly<Record<RequestFieldName, FieldSpec>> = table.requestFields as Record<RequestFieldName, FieldSpec>

/** The fields of each object of an envelope (token, target, error, ...). */
export const ENVELOPE_OBJECTS: Readonly<Record<keyof typeof table.objects, Readonly<Record<string, FieldSpec>>>> = table.objects as Record<keyof typeof table.objects, Record<string, FieldSpec>>

export const PROTOCOL_VERSION: 1 = table.protocolVersion as 1

/** Request fields whose values are secrets: registered with the redactor before anything is logged. */
export const SECRET_FIELDS = (Object.keys(REQUEST_FIELDS) as RequestFieldName[]).filter((name) => REQUEST_FIELDS[name].secret === true)

/** Exit codes of the one-shot core: a cross-check of the envelope for callers that only see the process. */
export const EXIT_CODES = Object.freeze({
  OK: table.exitCodeOk,
  ...Object.fromEntries(
    Object.entries(table.errors)
      .filter(([, spec]) => spec.side !== 'module')
      .map(([code, spec]) => [code, (spec as { exitCode: number }).exitCode]),
  ),
}) as Readonly<Record<Exclude<ProtocolErrorCode, ModuleErrorCode> | 'OK', number>>

export const PROTOCOL_DEFAULTS = table.defaults
