/** Seconds until a JWT's `exp`, or null when the token is not a readable JWT. */
export function secondsToExpiry(token: string, nowMs = Date.now()): number | null {
  const part = token.split('.')[1]
  if (!part) return null
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='))
    const exp = (JSON.parse(json) as { exp?: unknown }).exp
    return typeof exp === 'number' ? exp - nowMs / 1000 : null
  } catch {
    return null
  }
}
