// The managed identity endpoint styles, each with its own headers, parameters, error bodies and number formats (docs/entra-protocol.md §7 "Managed identity endpoints").
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorContext } from '../context.js';
import { jsonReply, type Reply } from '../http.js';
import { newGuid } from '../ids.js';
import { findIdentity, idParameters, managedIdentityData, readIdSelection, type IdSelection, type ManagedIdentity } from './identities.js';
import { issueManagedIdentityToken } from './tokens.js';

/** What a handler sees of a request. */
export interface ManagedIdentityRequest {
  readonly method: string;
  readonly query: URLSearchParams;
  readonly form: URLSearchParams;
  readonly header: (name: string) => string | undefined;
}

/** The Arc agent writes challenge keys here; clients refuse a realm anywhere else (docs/entra-protocol.md §7.5 "Azure Arc-enabled servers"). */
export const arcKeyFolder = '/var/opt/azcmagent/tokens';

const imdsError = (status: number, error: string, description: string): Reply => jsonReply(status, { error, error_description: description }, { Server: 'IMDS/150.870.65.1015' });
const appServiceError = (status: number, message: string): Reply => jsonReply(status, { statusCode: status, message, correlationId: newGuid() });

function identityOrError(selection: IdSelection, notFound: () => Reply): ManagedIdentity | Reply {
  return findIdentity(selection) ?? notFound();
}

async function resourceToken(resourceText: string | null, identity: ManagedIdentity, ctx: EmulatorContext, unknownResource: (resource: string) => Reply) {
  const resource = resourceText === null || resourceText === '' ? undefined : ctx.directory.findResource(resourceText);
  if (resource === undefined) return unknownResource(resourceText ?? '');
  return { resource: resourceText!, token: await issueManagedIdentityToken(identity, resource, ctx) };
}

/** IDMS-style success body: every number a string (the documented sample). */
function imdsBody(resource: string, identity: ManagedIdentity, token: { accessToken: string; issuedAt: number; expiresOn: number; lifetimeSeconds: number }) {
  return {
    access_token: token.accessToken,
    refresh_token: '',
    expires_in: String(token.lifetimeSeconds),
    expires_on: String(token.expiresOn),
    not_before: String(token.issuedAt),
    resource,
    token_type: 'Bearer',
    client_id: identity.clientId,
    ext_expires_in: String(token.lifetimeSeconds),
  };
}

/** Azure VM / VMSS IMDS: `Metadata: true`, api-version, client_id / object_id / msi_res_id. */
export async function handleImds(request: ManagedIdentityRequest, ctx: EmulatorContext): Promise<Reply> {
  if (request.header('metadata')?.toLowerCase() !== 'true') return imdsError(400, 'bad_request_102', 'Required metadata header not specified');
  if (!request.query.get('api-version')) return imdsError(400, 'invalid_request', "Required query variable 'api-version' is missing");
  const identity = identityOrError(readIdSelection(request.query, idParameters.imds), () => imdsError(400, 'invalid_request', 'Identity not found'));
  if ('status' in identity) return identity;
  const result = await resourceToken(request.query.get('resource'), identity, ctx, (resource) =>
    imdsError(400, 'invalid_resource', `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${managedIdentityData.tenantId}.`));
  if ('status' in result) return result;
  return jsonReply(200, imdsBody(result.resource, identity, result.token));
}

/** App Service, Functions and Automation (2019-08-01): `X-IDENTITY-HEADER`, client_id / principal_id / mi_res_id. */
export async function handleAppService(request: ManagedIdentityRequest, ctx: EmulatorContext): Promise<Reply> {
  if (request.header('x-identity-header') !== managedIdentityData.identityHeader) return appServiceError(401, 'The X-IDENTITY-HEADER header is missing or not valid.');
  if (request.query.get('api-version') !== '2019-08-01') return appServiceError(400, "The 'api-version' query parameter must be 2019-08-01.");
  const identity = identityOrError(readIdSelection(request.query, idParameters.appService), () =>
    appServiceError(400, 'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.'));
  if ('status' in identity) return identity;
  const result = await resourceToken(request.query.get('resource'), identity, ctx, (resource) => appServiceError(400, `AADSTS500011: The resource principal named ${resource} was not found.`));
  if ('status' in result) return result;
  return jsonReply(200, {
    access_token: result.token.accessToken,
    expires_on: String(result.token.expiresOn),
    not_before: String(result.token.issuedAt),
    resource: result.resource,
    token_type: 'Bearer',
    client_id: identity.clientId,
  });
}

/** Azure Machine Learning / legacy App Service (2017-09-01): `secret` header, `clientid`, `expires_on` as a date. */
export async function handleMachineLearning(request: ManagedIdentityRequest, ctx: EmulatorContext): Promise<Reply> {
  if (request.header('secret') !== managedIdentityData.machineLearningSecret) return jsonReply(401, { error: 'unauthorized', error_description: 'The secret header is missing or not valid.' });
  const clientId = request.query.get('clientid');
  const identity = identityOrError(clientId ? { kind: 'clientId', value: clientId } : { kind: 'system' }, () => jsonReply(400, { error: 'invalid_request', error_description: 'Identity not found' }));
  if ('status' in identity) return identity;
  const result = await resourceToken(request.query.get('resource'), identity, ctx, () => jsonReply(400, { error: 'invalid_resource', error_description: 'Resource not found' }));
  if ('status' in result) return result;
  const expires = new Date(result.token.expiresOn * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  const legacyDate = `${pad(expires.getUTCMonth() + 1)}/${pad(expires.getUTCDate())}/${expires.getUTCFullYear()} ${pad(expires.getUTCHours())}:${pad(expires.getUTCMinutes())}:${pad(expires.getUTCSeconds())} +00:00`;
  return jsonReply(200, { access_token: result.token.accessToken, expires_on: legacyDate, resource: result.resource, token_type: 'Bearer', client_id: identity.clientId });
}

/** Cloud Shell: POST, resource in the form, `Metadata: true`; errors as `{error: {code, message}}`. */
export async function handleCloudShell(request: ManagedIdentityRequest, ctx: EmulatorContext): Promise<Reply> {
  if (request.method !== 'POST') return jsonReply(405, { error: { code: 'MethodNotAllowed', message: 'Use POST.' } });
  if (request.header('metadata')?.toLowerCase() !== 'true') return jsonReply(400, { error: { code: 'BadRequest', message: 'Required metadata header not specified' } });
  const result = await resourceToken(request.form.get('resource'), managedIdentityData.systemAssigned, ctx, (resource) => jsonReply(400, { error: { code: 'BadRequest', message: `Resource ${resource} not found.` } }));
  if ('status' in result) return result;
  return jsonReply(200, imdsBody(result.resource, managedIdentityData.systemAssigned, result.token));
}

/** Service Fabric: `secret` header, numeric `expires_on` (served over the pinned https listener). */
export async function handleServiceFabric(request: ManagedIdentityRequest, ctx: EmulatorContext): Promise<Reply> {
  if (request.header('secret') !== managedIdentityData.serviceFabricSecret) return jsonReply(401, { error: { code: 'SecretHeaderNotFound', message: 'Secret is not found in the request headers.' } });
  if (!request.query.get('api-version')) return jsonReply(400, { error: { code: 'InvalidApiVersion', message: 'api-version is required.' } });
  const result = await resourceToken(request.query.get('resource'), managedIdentityData.systemAssigned, ctx, (resource) => jsonReply(400, { error: { code: 'InvalidResource', message: `Resource ${resource} not found.` } }));
  if ('status' in result) return result;
  return jsonReply(200, { token_type: 'Bearer', access_token: result.token.accessToken, expires_on: result.token.expiresOn, resource: result.resource });
}

/** Azure Arc: the 401 challenge with a fresh key file, then the token for `Authorization: Basic <key>`. */
export function createArcHandler(): { handle: (request: ManagedIdentityRequest, ctx: EmulatorContext) => Promise<Reply>; close: () => Promise<void> } {
  const pending = new Map<string, string>();
  const handle = async (request: ManagedIdentityRequest, ctx: EmulatorContext): Promise<Reply> => {
    if (request.header('metadata')?.toLowerCase() !== 'true') return imdsError(400, 'bad_request_102', 'Required metadata header not specified');
    if (readIdSelection(request.query, idParameters.imds).kind !== 'system') return imdsError(400, 'invalid_request', 'Identity not found');
    const authorization = request.header('authorization');
    if (authorization === undefined) {
      const key = randomBytes(32).toString('hex');
      const file = join(arcKeyFolder, `${newGuid()}.key`);
      try {
        await mkdir(arcKeyFolder, { recursive: true, mode: 0o700 });
        await writeFile(file, key, { mode: 0o600 });
      } catch (error) {
        return imdsError(500, 'unknown', `The emulator cannot write the challenge key to ${arcKeyFolder}: ${error instanceof Error ? error.message : String(error)}`);
      }
      pending.set(key, file);
      return { status: 401, headers: { 'WWW-Authenticate': `Basic realm=${file}`, 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: 'unauthorized', error_description: 'Use the key in the realm file.' }) };
    }
    const key = /^Basic (.+)$/.exec(authorization)?.[1];
    const file = key === undefined ? undefined : pending.get(key);
    if (key === undefined || file === undefined) return imdsError(401, 'invalid_request', 'The key in the Authorization header is not valid.');
    pending.delete(key);
    await rm(file, { force: true });
    const result = await resourceToken(request.query.get('resource'), managedIdentityData.systemAssigned, ctx, (resource) => imdsError(400, 'invalid_resource', `Resource ${resource} not found.`));
    if ('status' in result) return result;
    return jsonReply(200, imdsBody(result.resource, managedIdentityData.systemAssigned, result.token));
  };
  const close = async () => {
    await Promise.all([...pending.values()].map((file) => rm(file, { force: true })));
    pending.clear();
  };
  return { handle, close };
}
