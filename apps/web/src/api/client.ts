/** JSON request helper over `authFetch`; every non-2xx answer becomes an `ApiError`. */
import { API_PREFIX, apiOrigin, authFetch } from '@/api/http'
import { ApiError } from '@/lib/errors'

type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  query?: Query
  body?: unknown
  form?: FormData
}

function buildUrl(path: string, query?: Query): string {
  const url = new URL(`${API_PREFIX}${path}`, apiOrigin() || 'http://localhost')
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null) url.searchParams.set(k, String(v))
  }
  return url.toString()
}

async function parseBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined
  const text = await res.text()
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Send one API request and return its parsed JSON body. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: 'application/json' } }
  if (opts.form) {
    init.body = opts.form
  } else if (opts.body !== undefined) {
    init.body = JSON.stringify(opts.body)
    init.headers = { ...init.headers, 'Content-Type': 'application/json' }
  }
  const res = await authFetch(new Request(buildUrl(path, opts.query), init))
  const body = await parseBody(res)
  if (!res.ok) {
    const detail = body && typeof body === 'object' && 'detail' in body ? body.detail : body
    throw new ApiError(res.status, detail, res.statusText || 'Request failed')
  }
  return body as T
}

/** Absolute URL for an API path (downloads, links). */
export function apiUrl(path: string, query?: Query): string {
  return buildUrl(path, query)
}
