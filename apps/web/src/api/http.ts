/**
 * The fetch every API call goes through: adds the bearer token, and on a 401 refreshes the token
 * pair once — concurrent 401s share one in-flight refresh — then retries the request.
 */
import { useAuthStore, type TokenPair } from '@/stores/auth'

export const API_PREFIX = '/api/v1'
const REFRESH_PATH = `${API_PREFIX}/auth/refresh`
/** Auth endpoints answer 401 for bad credentials; refreshing there would loop. */
const NO_REFRESH = [`${API_PREFIX}/auth/login`, REFRESH_PATH, `${API_PREFIX}/setup/`]

let refreshing: Promise<string | null> | null = null

/** Origin used to build absolute request URLs (also needed under Node/jsdom in tests). */
export function apiOrigin(): string {
  return globalThis.location?.origin ?? ''
}

async function doRefresh(): Promise<string | null> {
  const { refreshToken, setTokens, clear } = useAuthStore.getState()
  if (!refreshToken) return null
  try {
    const res = await globalThis.fetch(
      new Request(`${apiOrigin()}${REFRESH_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      }),
    )
    if (!res.ok) {
      clear()
      return null
    }
    const tokens = (await res.json()) as TokenPair
    setTokens(tokens)
    return tokens.access_token
  } catch {
    return null
  }
}

/** Refresh the token pair; every caller during one refresh awaits the same promise. */
export function refreshOnce(): Promise<string | null> {
  if (!refreshing) {
    refreshing = doRefresh().finally(() => {
      refreshing = null
    })
  }
  return refreshing
}

function withToken(request: Request, token: string | null): Request {
  if (token) request.headers.set('Authorization', `Bearer ${token}`)
  return request
}

/** `fetch` with auth: bearer header, one shared refresh on 401, one retry. */
export async function authFetch(request: Request): Promise<Response> {
  const retry = request.clone()
  const token = useAuthStore.getState().accessToken
  const res = await globalThis.fetch(withToken(request, token))
  const path = new URL(request.url).pathname
  if (res.status !== 401 || NO_REFRESH.some((p) => path.startsWith(p))) return res
  const current = useAuthStore.getState()
  if (!current.refreshToken) return res
  // Another request may already have refreshed while this one was in flight.
  const fresh = current.accessToken && current.accessToken !== token ? current.accessToken : await refreshOnce()
  if (!fresh) return res
  return globalThis.fetch(withToken(retry, fresh))
}
