// msal-node INetworkModule that mirrors msal's own HttpClient (fetch + response.json()) but trusts the emulator CA.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { Agent, fetch } from 'undici';

export interface ClosableNetworkModule extends INetworkModule {
  close(): Promise<void>;
}

export function createMsalNetworkClient(caPem: string): ClosableNetworkModule {
  const dispatcher = new Agent({ connect: { ca: caPem }, keepAliveTimeout: 10 });
  async function send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const response = await fetch(url, {
      method,
      headers: options?.headers ?? {},
      dispatcher,
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      ...(timeout ? { signal: AbortSignal.timeout(timeout) } : {}),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { headers, body: (await response.json()) as T, status: response.status };
  }
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
    close: () => dispatcher.close(),
  };
}
