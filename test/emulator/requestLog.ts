// Log of requests to the login endpoints: method, path, grant type, client id, status, assertion header facts; never secrets or tokens.
import type { AssertionFacts } from './certificateAssertion.js';

export interface RequestLogEntry {
  /** ISO 8601 time the request arrived. */
  readonly time: string;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly grantType?: string;
  readonly clientId?: string;
  /** What the client assertion's header said (alg, which thumbprints, x5c thumbprints); never the assertion. */
  readonly assertion?: AssertionFacts;
  /** HTTP status sent; 0 when the connection was dropped without a response. */
  readonly status: number;
}

export interface RequestLog {
  add(entry: RequestLogEntry): void;
  entries(clientId?: string): RequestLogEntry[];
  clear(): void;
}

export function createRequestLog(): RequestLog {
  const entries: RequestLogEntry[] = [];
  return {
    add: (entry) => {
      entries.push(Object.freeze({ ...entry }));
    },
    entries: (clientId) =>
      entries.filter((entry) => clientId === undefined || entry.clientId?.toLowerCase() === clientId.toLowerCase()),
    clear: () => {
      entries.length = 0;
    },
  };
}
