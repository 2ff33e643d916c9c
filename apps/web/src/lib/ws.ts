/** Same-origin WebSocket URL for an API path: ws:// on http pages, wss:// on https pages. */
export function wsUrl(path: string, params: Record<string, string | number | undefined>): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  const query = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, String(v))
  const qs = query.toString()
  return `${proto}//${window.location.host}${path}${qs ? `?${qs}` : ''}`
}
