/**
 * The typed API client generated from the server's OpenAPI (`openapi-fetch` over `authFetch`),
 * plus `unwrap`, which turns any non-2xx answer into an `ApiError` carrying the server's `detail`.
 */
import createClient from 'openapi-fetch'

import { apiOrigin, authFetch } from '@/api/http'
import type { paths } from '@/api/schema.gen'
import { ApiError } from '@/lib/errors'

export const client = createClient<paths>({ baseUrl: apiOrigin(), fetch: authFetch })

/** The same API without the member's token: public and api-key deployments, called as outsiders do. */
export const callerClient = createClient<paths>({ baseUrl: apiOrigin(), fetch: (request) => globalThis.fetch(request) })

function detailOf(body: unknown): unknown {
  return body && typeof body === 'object' && 'detail' in body ? body.detail : body
}

/** Await an openapi-fetch call; return its data or throw `ApiError(status, detail)`. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call
  if (!response.ok || error !== undefined) {
    throw new ApiError(response.status, detailOf(error), response.statusText || 'Request failed')
  }
  return data as T
}
