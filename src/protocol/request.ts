// The request the PowerShell wrapper sends on stdin: its types and the check that it is well formed.

import { CLOUDS, type CloudName } from '../config/constants.js'
import { protocolError } from './protocolError.js'
import { LOG_LEVELS, type LogLevel } from '../log/logger.js'
import {
  CERTIFICATE_FLOWS,
  CERTIFICATE_SECRET_FIELDS,
  checkCertificateFields,
  type ClientCertificatePrepareRequestFields,
  type ClientCertificateRequestFields,
  type ClientCertificateSignedRequestFields,
} from './certificateRequest.js'
import { DEVICE_CODE_FLOWS, type DeviceCodeRequestFields } from './deviceCodeRequest.js'
import { checkIdentityFields, IDENTITY_FLOWS, IDENTITY_SECRET_FIELDS, type ManagedIdentityRequestFields, type WorkloadIdentityRequestFields } from './identityRequest.js'
import { requestText } from './requestText.js'
import { checkInteractiveFields, INTERACTIVE_FLOWS, type InteractiveRequestFields } from './interactiveRequest.js'
import { TARGET_FLOWS, type ResolveTargetRequestFields } from './targetRequest.js'
import { PROTOCOL_DEFAULTS, PROTOCOL_VERSION, REQUEST_FIELDS, type FieldType, type RequestFieldName, type Same } from './table.js'

export interface RequestBase {
  protocolVersion: typeof PROTOCOL_VERSION
  tenantId: string
  clientId?: string
  /** As the user typed them; the core normalises them. Empty: the cloud's Graph `/.default`. */
  scopes?: string[]
  /** Only when the user passed -Environment. */
  environment?: CloudName
  authorityHost?: string
  timeoutSec?: number
  logLevel?: LogLevel
  correlationId?: string
  /** -Proxy: the proxy for token requests, stronger than every other setting (http/proxy.ts). */
  proxy?: string
  /** The system proxy the module found for the login host; used when no proxy variable is set. */
  systemProxy?: string
}

export interface ClientSecretRequest extends RequestBase {
  flow: 'clientSecret'
  clientSecret: string
}

export interface RefreshTokenRequest extends RequestBase {
  flow: 'refreshToken'
  refreshToken: string
  /** For confidential clients, whose refresh tokens need the secret as well. */
  clientSecret?: string
}

export interface ClientCertificateRequest extends RequestBase, ClientCertificateRequestFields {}
export interface ClientCertificatePrepareRequest extends RequestBase, ClientCertificatePrepareRequestFields {}
export interface ClientCertificateSignedRequest extends RequestBase, ClientCertificateSignedRequestFields {}

export interface ManagedIdentityRequest extends RequestBase, ManagedIdentityRequestFields {}
export interface WorkloadIdentityRequest extends RequestBase, WorkloadIdentityRequestFields {}
export interface DeviceCodeRequest extends RequestBase, DeviceCodeRequestFields {}
export interface ResolveTargetRequest extends RequestBase, ResolveTargetRequestFields {}
export interface InteractiveRequest extends RequestBase, InteractiveRequestFields {}

export type CoreRequest =
  | ClientSecretRequest
  | RefreshTokenRequest
  | ClientCertificateRequest
  | ClientCertificatePrepareRequest
  | ClientCertificateSignedRequest
  | ManagedIdentityRequest
  | WorkloadIdentityRequest
  | DeviceCodeRequest
  | ResolveTargetRequest
  | InteractiveRequest

/** Requests answered with a token (all but the first step of wrapper-side signing and the target question). */
export type TokenFlowRequest = Exclude<CoreRequest, ClientCertificatePrepareRequest | ResolveTargetRequest>

/** Request fields whose values are secrets (the table's `secret: true`): registered with the redactor before anything is logged. */
export { SECRET_FIELDS } from './table.js'

const FLOWS = ['clientSecret', 'refreshToken', ...CERTIFICATE_FLOWS, ...IDENTITY_FLOWS, ...DEVICE_CODE_FLOWS, ...INTERACTIVE_FLOWS, ...TARGET_FLOWS] as const

/** Keys of every member of a union (keyof of a union is only the shared ones). */
type KeysOfUnion<T> = T extends unknown ? keyof T : never

// The table (protocol.json) and these types name the same fields and flows, and the flow files the same secrets;
// typecheck fails when one side renames or drops one. `id` is the resident protocol's (wire.ts).
const fieldsMatchTable: Same<RequestFieldName, KeysOfUnion<CoreRequest> | 'id'> = true
const flowsMatchTable: Same<(typeof FLOWS)[number], CoreRequest['flow']> = true
const secretsMatchTable: Same<(typeof CERTIFICATE_SECRET_FIELDS | typeof IDENTITY_SECRET_FIELDS)[number] | 'clientSecret' | 'refreshToken', 'clientSecret' | 'refreshToken' | 'privateKey' | 'certificatePassword' | 'clientAssertion'> = true
void [fieldsMatchTable, flowsMatchTable, secretsMatchTable]

function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string')
    case 'number[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'number')
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    default:
      return typeof value === type
  }
}

const TYPE_WORDS: Record<FieldType, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  'string[]': 'an array of strings',
  'number[]': 'an array of numbers',
  object: 'an object',
}

/** Every field is one the table knows, of the table's type: a field renamed on one side fails here, not silently. */
function checkFieldsAgainstTable(request: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(request)) {
    if (!Object.hasOwn(REQUEST_FIELDS, field)) throw protocolError(`Unknown request field '${field}'.`)
    const spec = REQUEST_FIELDS[field as RequestFieldName]
    if (value !== undefined && !hasType(value, spec.type)) throw protocolError(`'${field}' must be ${TYPE_WORDS[spec.type]}.`)
  }
}



/**
 * Parses and checks the JSON request. Secrets are checked for type only, never echoed.
 * @throws EntraAuthError ERR_PROTOCOL
 */
export function parseRequest(text: string): CoreRequest {
  const json = requestText(text)
  let body: unknown
  try {
    body = JSON.parse(json)
  } catch (cause) {
    throw protocolError('The request on stdin is not JSON.', cause)
  }
  return checkRequest(body)
}

/**
 * Checks an already parsed request (the resident core parses each line once). A field the table
 * (src/protocol/protocol.json) does not list is ERR_PROTOCOL: module and core disagree about the protocol.
 * @throws EntraAuthError ERR_PROTOCOL
 */
export function checkRequest(body: unknown): CoreRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw protocolError('The request must be a JSON object.')
  const request = body as Record<string, unknown>
  if (request.protocolVersion !== PROTOCOL_VERSION) throw protocolError(`Unsupported protocolVersion ${String(request.protocolVersion)}; this core speaks ${PROTOCOL_VERSION}.`)
  if (!(FLOWS as readonly unknown[]).includes(request.flow)) throw protocolError(`Unknown flow '${String(request.flow)}'.`)
  if (typeof request.tenantId !== 'string') throw protocolError("'tenantId' must be a string.")
  checkFieldsAgainstTable(request)
  if (request.environment !== undefined && !Object.hasOwn(CLOUDS, String(request.environment))) throw protocolError(`Unknown environment '${String(request.environment)}'.`)
  if (request.timeoutSec !== undefined && !(typeof request.timeoutSec === 'number' && request.timeoutSec > 0 && request.timeoutSec <= PROTOCOL_DEFAULTS.maxTimeoutSec)) {
    throw protocolError(`'timeoutSec' must be a number of seconds between 1 and ${PROTOCOL_DEFAULTS.maxTimeoutSec}.`)
  }
  if (request.logLevel !== undefined && !(LOG_LEVELS as readonly unknown[]).includes(request.logLevel)) throw protocolError(`Unknown logLevel '${String(request.logLevel)}'.`)
  if (request.flow === 'clientSecret' && typeof request.clientSecret !== 'string') throw protocolError("The clientSecret flow needs 'clientSecret'.")
  if (request.flow === 'refreshToken' && typeof request.refreshToken !== 'string') throw protocolError("The refreshToken flow needs 'refreshToken'.")
  checkCertificateFields(request)
  checkIdentityFields(request)
  checkInteractiveFields(request)
  return request as unknown as CoreRequest
}
