/**
 * The typed API client generated from the server's OpenAPI (`openapi-fetch` over `authFetch`),
 * plus `unwrap`, which turns any non-2xx answer into an `ApiError` carrying the server's `detail`.
 * `request` is the untyped fallback for routes the schema does not publish yet.
 */
import createClient from 'openapi-fetch'

import { API_PREFIX, apiOrigin, authFetch } from '@/api/http'
import type { paths } from '@/api/schema.gen'
import { ApiError } from '@/lib/errors'

export const client = createClient<paths>({ baseUrl: apiOrigin(), fetch: authFetch })

type Query = Record<string, string | number | boolean | null | undefined>

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

function buildUrl(path: string, query?: Query): string {
  const url = new URL(`${API_PREFIX}${path}`, apiOrigin() || 'http://localhost')
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null) url.searchParams.set(k, String(v))
  }
  return url.toString()
}

/** Untyped JSON request (for routes missing from the OpenAPI schema). */
export async function request<T>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: 'application/json' } }
  if (opts.body !== undefined) {
    init.body = JSON.stringify(opts.body)
    init.headers = { ...init.headers, 'Content-Type': 'application/json' }
  }
  const res = await authFetch(new Request(buildUrl(path, opts.query), init))
  const text = res.status === 204 ? '' : await res.text()
  let body: unknown = undefined
  if (text) {
    try {
      body = JSON.parse(text)
    } catch {
      body = text
    }
  }
  if (!res.ok) throw new ApiError(res.status, detailOf(body), res.statusText || 'Request failed')
  return body as T
}

/** Absolute URL for an API path (downloads, links). */
export function apiUrl(path: string, query?: Query): string {
  return buildUrl(path, query)
}
