// Types for the parts of undici that src/http/client.ts loads one by one instead of its index (which also loads
// fetch, WebSocket, cookies, caches and mocks at start: docs/benchmarks.md, "The core's start").

declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici'
  export default Agent
}

declare module 'undici/lib/dispatcher/pool.js' {
  import { Pool } from 'undici'
  export default Pool
}

declare module 'undici/lib/core/connect.js' {
  import { buildConnector } from 'undici'
  export default buildConnector
}

/** undici's `Dispatcher.prototype.request`, called with the dispatcher as `this`. */
declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici'
  export default function request(
    this: Dispatcher,
    options: Dispatcher.RequestOptions,
  ): Promise<Dispatcher.ResponseData>
}

/** undici's `Pool.prototype.connect` (the pool's own origin), called with the pool as `this`. */
declare module 'undici/lib/api/api-connect.js' {
  import type { Dispatcher, Pool } from 'undici'
  export default function connect(
    this: Pool,
    options: Omit<Dispatcher.ConnectOptions, 'origin'>,
  ): Promise<Dispatcher.ConnectData>
}
