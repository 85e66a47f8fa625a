// The managed identity endpoints: one plain-HTTP listener for IMDS, App Service, ML, Cloud Shell and Arc, and an https one for Service Fabric.
import { createHash, X509Certificate } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorContext } from '../context.js';
import { errorReply } from '../errors.js';
import { faultAction } from '../faults.js';
import { jsonReply, readBody, sendReply, type Reply } from '../http.js';
import { newGuid } from '../ids.js';
import { createArcHandler, handleAppService, handleCloudShell, handleImds, handleMachineLearning, handleServiceFabric, type ManagedIdentityRequest } from './endpoints.js';

/** Where each endpoint style lives, and what a test puts in the environment to reach it. */
export interface ManagedIdentityEndpoints {
  /** `http://127.0.0.1:<port>`: AZURE_POD_IDENTITY_AUTHORITY_HOST (IMDS). */
  readonly url: string;
  /** IDENTITY_ENDPOINT for App Service, Functions and Automation. */
  readonly appServiceEndpoint: string;
  /** MSI_ENDPOINT for Azure Machine Learning (with MSI_SECRET). */
  readonly machineLearningEndpoint: string;
  /** MSI_ENDPOINT for Cloud Shell. */
  readonly cloudShellEndpoint: string;
  /** IDENTITY_ENDPOINT for Azure Arc (with IMDS_ENDPOINT = url). */
  readonly arcEndpoint: string;
  /** IDENTITY_ENDPOINT for Service Fabric (https, pinned by IDENTITY_SERVER_THUMBPRINT). */
  readonly serviceFabricEndpoint: string;
  /** SHA-1 thumbprint (hex) of the Service Fabric listener's certificate. */
  readonly serviceFabricThumbprint: string;
  close(): Promise<void>;
}

const TOKEN_PATH = '/metadata/identity/oauth2/token';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

type Handler = (request: ManagedIdentityRequest, ctx: EmulatorContext) => Promise<Reply>;

/** Serves one request: a queued `managedIdentity` fault first (only a delay for IMDS probes), then the handler; logs it. */
function listener(routes: Readonly<Record<string, Handler>>, ctx: EmulatorContext) {
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const request: ManagedIdentityRequest = {
      method: req.method ?? 'GET',
      query: url.searchParams,
      form: new URLSearchParams(req.headers['content-type']?.includes('application/x-www-form-urlencoded') ? body : ''),
      header: (name) => {
        const value = req.headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      },
    };
    const clientId = url.searchParams.get('client_id') ?? url.searchParams.get('clientid') ?? undefined;
    // msal-node asks IMDS for `/metadata/identity/oauth2/token/`: the service ignores a trailing slash.
    const handler = routes[url.pathname.replace(/(.)\/+$/, '$1')];
    let status: number;
    const isProbe = url.search === '' && request.header('metadata') === undefined;
    // A probe is answered as IMDS answers it, but as slowly as a busy IMDS answers anything: it takes only delays.
    const fault = handler === undefined ? undefined : ctx.faults.take('managedIdentity', clientId, isProbe ? (queued) => 'kind' in queued && queued.kind === 'delay' : undefined);
    const action = fault === undefined ? undefined : faultAction(fault, (error) => errorReply(error, { traceId: newGuid(), correlationId: newGuid() }, new Date(ctx.now())));
    if (action?.type === 'reset') {
      req.socket.destroy();
      status = 0;
    } else {
      if (action?.type === 'delay') await sleep(action.ms, undefined, { signal: ctx.shutdown }).catch(() => undefined);
      const normal = async (): Promise<Reply> => (handler === undefined ? jsonReply(404, { error: 'not_found' }) : handler(request, ctx));
      const reply = action?.type === 'reply' ? action.reply : action?.type === 'rewrite' ? action.rewrite(await normal()) : await normal();
      if (!res.destroyed) sendReply(res, reply);
      status = reply.status;
    }
    ctx.log.add({ time: new Date(ctx.now()).toISOString(), method: request.method, path: url.pathname, ...(clientId === undefined ? {} : { clientId }), status });
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    serve(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendReply(res, jsonReply(500, { error: 'emulator_failure', message: error instanceof Error ? error.message : String(error) }));
    });
  };
}

/** Starts the managed identity listeners next to the login endpoints; `tls` is the login listener's key and certificate. */
export async function startManagedIdentityEndpoints(ctx: EmulatorContext, tls: { key: string; cert: string }): Promise<ManagedIdentityEndpoints> {
  const arc = createArcHandler();
  const plain = createHttpServer(
    listener(
      {
        [TOKEN_PATH]: handleImds,
        '/msi/token': handleAppService,
        '/ml/token': handleMachineLearning,
        '/cloudshell/oauth2/token': handleCloudShell,
        [`/arc${TOKEN_PATH}`]: arc.handle,
      },
      ctx,
    ),
  );
  const fabric = createHttpsServer({ key: tls.key, cert: tls.cert }, listener({ [TOKEN_PATH]: handleServiceFabric }, ctx));
  const url = `http://127.0.0.1:${await listen(plain)}`;
  const fabricUrl = `https://127.0.0.1:${await listen(fabric)}`;
  const thumbprint = createHash('sha1').update(new X509Certificate(tls.cert).raw).digest('hex').toUpperCase();
  return {
    url,
    appServiceEndpoint: `${url}/msi/token`,
    machineLearningEndpoint: `${url}/ml/token`,
    cloudShellEndpoint: `${url}/cloudshell/oauth2/token`,
    arcEndpoint: `${url}/arc${TOKEN_PATH}`,
    serviceFabricEndpoint: `${fabricUrl}${TOKEN_PATH}`,
    serviceFabricThumbprint: thumbprint,
    close: async () => {
      await Promise.all([stop(plain), stop(fabric), arc.close()]);
    },
  };
}
