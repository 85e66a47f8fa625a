// Reads an endpoint URL from an environment variable, and builds token URLs on it.

import { ConfigurationError } from '../../errors.js'
import { checkUrl } from '../../http/urlPolicy.js'

/** An http(s) URL from the environment; anything else is a configuration error naming the variable. */
export function parseEndpoint(value: string, variable: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch (cause) {
    throw new ConfigurationError(`${variable} is set to '${value}', which is not a URL.`, `Unset ${variable}, or set it to the endpoint of the managed identity service.`, cause)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`${variable} is set to '${value}', which is not an http or https URL.`, `Unset ${variable}, or set it to the endpoint of the managed identity service.`)
  }
  // Plain http is the managed identity services' design (IMDS, App Service, Arc); never proxied.
  checkUrl(url, 'managedIdentity', variable)
  return url
}

/** A copy of `endpoint` with the query parameters added (undefined values skipped). */
export function withQuery(endpoint: URL, query: Record<string, string | undefined>): string {
  const url = new URL(endpoint)
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value)
  return url.toString()
}
