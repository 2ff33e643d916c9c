/** The one error type the API layer throws; `message` is the server's `detail` in words. */
export class ApiError extends Error {
  readonly status: number
  readonly detail: unknown

  constructor(status: number, detail: unknown, fallback = 'Request failed') {
    super(detailToMessage(detail) ?? `${fallback} (HTTP ${status})`)
    this.name = 'ApiError'
    this.status = status
    this.detail = detail
  }
}

/**
 * The server's `detail` as a sentence. Every error body is `{"detail": string}` (validation
 * errors included: the server names each field, e.g. `name: String should have at least 1
 * character`); anything else (a proxy's HTML page, an empty body) gives null → the fallback.
 */
export function detailToMessage(detail: unknown): string | null {
  if (typeof detail === 'string' && detail.trim()) return detail
  return null
}

/** Message for any thrown value, for display next to the control that failed. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  return 'Something went wrong'
}
