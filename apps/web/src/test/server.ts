/**
 * A mock API behind `fetch`: tests declare the requests they expect (`"GET /api/v1/runs/:id"`),
 * every other request throws and fails the test (after the fact, if a library swallowed it).
 */
type Params = Record<string, string>

export interface MockRequest {
  method: string
  path: string
  url: URL
  params: Params
  body: unknown
  headers: Headers
}

export type Handler = (req: MockRequest) => unknown

interface Route {
  method: string
  regex: RegExp
  keys: string[]
  handler: Handler
}

let routes: Route[] = []
export const requests: MockRequest[] = []
const unhandled: string[] = []

/** A JSON response with a status, for handlers that answer errors. */
export function reply(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

function compile(spec: string, handler: Handler): Route {
  const [method = 'GET', pattern = '/'] = spec.split(' ')
  const keys: string[] = []
  const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, k: string) => {
    keys.push(k)
    return '([^/]+)'
  })
  return { method: method.toUpperCase(), regex: new RegExp(`^${source}$`), keys, handler }
}

/** Add routes; a value that is not a function is answered as 200 JSON. Later routes win. */
export function mockApi(spec: Record<string, Handler | object | null>): void {
  const added = Object.entries(spec).map(([k, v]) =>
    compile(k, typeof v === 'function' ? (v as Handler) : () => v),
  )
  routes = [...added, ...routes]
}

async function readBody(request: Request): Promise<unknown> {
  const text = await request.text()
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

async function mockFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request ? input : new Request(String(input), init)
  const url = new URL(request.url)
  const method = request.method.toUpperCase()
  for (const route of routes) {
    const m = route.method === method ? route.regex.exec(url.pathname) : null
    if (!m) continue
    const params: Params = {}
    route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')))
    const req: MockRequest = { method, path: url.pathname, url, params, body: await readBody(request), headers: request.headers }
    requests.push(req)
    const out = await route.handler(req)
    if (out instanceof Response) return out
    return out === undefined ? new Response(null, { status: 204 }) : reply(200, out)
  }
  const what = `${method} ${url.pathname}${url.search}`
  unhandled.push(what)
  throw new Error(`Unhandled request in test: ${what}`)
}

export function installMockFetch(): void {
  routes = []
  requests.length = 0
  unhandled.length = 0
  globalThis.fetch = mockFetch as typeof fetch
}

/** Throws when any request went unanswered during the test. */
export function assertAllHandled(): void {
  if (unhandled.length > 0) {
    const list = unhandled.join(', ')
    unhandled.length = 0
    throw new Error(`Unhandled API requests: ${list}`)
  }
}

/** Requests made to a path (optionally one method), for assertions on what was sent. */
export function requestsTo(path: string, method?: string): MockRequest[] {
  return requests.filter((r) => r.path === path && (!method || r.method === method))
}
