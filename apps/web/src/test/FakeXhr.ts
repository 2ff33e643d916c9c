/** A controllable XMLHttpRequest for upload tests: `_progress(loaded, total)` then `_respond`. */
export class FakeXhr {
  static instances: FakeXhr[] = []
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: FormData | null = null
  status = 0
  responseText = ''
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

  _respond(status: number, body: unknown): void {
    this.status = status
    this.responseText = JSON.stringify(body)
    this.onload?.()
  }
}
