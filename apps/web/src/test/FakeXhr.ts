/** A controllable XMLHttpRequest for upload tests: `_progress(loaded, total)` then `_respond`, `_respondText` or `_fail`. */
export class FakeXhr {
  static instances: FakeXhr[] = []
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: FormData | null = null
  status = 0
  responseText = ''
  responseType: XMLHttpRequestResponseType = ''
  response: unknown = null
  responseHeaders: Record<string, string> = {}
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null

  constructor() {
    FakeXhr.instances.push(this)
  }

  static install(): void {
    FakeXhr.instances = []
    globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest
  }

  open(method: string, url: string): void {
    this.method = method
    this.url = url
  }

  setRequestHeader(k: string, v: string): void {
    this.headers[k] = v
  }

  send(body: FormData): void {
    this.body = body
  }

  _progress(loaded: number, total: number): void {
    this.upload.onprogress?.(new ProgressEvent('progress', { loaded, total, lengthComputable: true }))
  }

  getResponseHeader(name: string): string | null {
    const key = Object.keys(this.responseHeaders).find((k) => k.toLowerCase() === name.toLowerCase())
    return key === undefined ? null : (this.responseHeaders[key] ?? null)
  }

  /** Answer JSON (a Blob of it when the request asked for `responseType = 'blob'`). */
  _respond(status: number, body: unknown): void {
    this._respondText(status, JSON.stringify(body), { 'Content-Type': 'application/json' })
  }

  /** Answer any text with headers, e.g. a scored CSV. */
  _respondText(status: number, text: string, headers: Record<string, string> = {}): void {
    this.status = status
    this.responseHeaders = headers
    if (this.responseType === 'blob') this.response = new Blob([text], { type: headers['Content-Type'] ?? '' })
    else {
      this.responseText = text
      this.response = text
    }
    this.onload?.()
  }

  /** The connection failed or closed early (e.g. a stream cut short). */
  _fail(): void {
    this.onerror?.()
  }
}
