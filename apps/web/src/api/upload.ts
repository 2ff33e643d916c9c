/**
 * Multipart POSTs with progress events. `fetch` cannot report upload progress, so these requests
 * use XMLHttpRequest. A member request shares the token store and refreshes once on 401; a caller
 * request (a public or api-key deployment) sends only the headers it is given.
 */
import { API_PREFIX, apiOrigin, refreshOnce } from '@/api/http'
import { ApiError } from '@/lib/errors'
import { useAuthStore } from '@/stores/auth'

export interface UploadProgress {
  loaded: number
  total: number
  /** 0–100, or null when the size is unknown. */
  percent: number | null
}

interface SendOptions {
  token: string | null
  headers?: Record<string, string>
  /** Read a 2xx answer as a Blob (a file to save) instead of JSON. */
  blob?: boolean
  onProgress?: (p: UploadProgress) => void
  networkError: string
}

interface Sent {
  status: number
  body: unknown
  header: (name: string) => string | null
}

const isOk = (status: number) => status >= 200 && status < 300

/** The answer's body: the Blob itself for a 2xx blob request, else JSON when it parses, else text. */
async function readBody(xhr: XMLHttpRequest, blob: boolean): Promise<unknown> {
  if (blob && isOk(xhr.status)) return xhr.response as Blob
  // An error answer is still `{"detail": …}` JSON, even when a file was asked for.
  const text = blob ? ((await (xhr.response as Blob | null)?.text()) ?? '') : xhr.responseText
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return text
  }
}

function send(url: string, form: FormData, o: SendOptions) {
  return new Promise<Sent>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    if (o.blob) xhr.responseType = 'blob'
    if (o.token) xhr.setRequestHeader('Authorization', `Bearer ${o.token}`)
    for (const [k, v] of Object.entries(o.headers ?? {})) xhr.setRequestHeader(k, v)
    xhr.setRequestHeader('Accept', o.blob ? 'text/csv, application/json' : 'application/json')
    xhr.upload.onprogress = (e: ProgressEvent) => {
      o.onProgress?.({
        loaded: e.loaded,
        total: e.total,
        percent: e.lengthComputable && e.total > 0 ? Math.round((e.loaded / e.total) * 100) : null,
      })
    }
    xhr.onload = () => {
      readBody(xhr, !!o.blob).then(
        (body) => resolve({ status: xhr.status, body, header: (name) => xhr.getResponseHeader(name) }),
        reject,
      )
    }
    xhr.onerror = () => reject(new ApiError(0, o.networkError))
    xhr.send(form)
  })
}

interface PostOptions {
  /** Send the member's bearer token (refreshed once on 401); false sends no token at all. */
  member: boolean
  headers?: Record<string, string>
  blob?: boolean
  onProgress?: (p: UploadProgress) => void
  failure: string
  networkError: string
}

/** POST a form to an API path; throws `ApiError` with the server's detail on a non-2xx answer. */
async function postForm(path: string, form: FormData, o: PostOptions): Promise<Sent> {
  const url = `${apiOrigin()}${API_PREFIX}${path}`
  const opts = { headers: o.headers, blob: o.blob, onProgress: o.onProgress, networkError: o.networkError }
  let res = await send(url, form, { ...opts, token: o.member ? useAuthStore.getState().accessToken : null })
  if (o.member && res.status === 401 && useAuthStore.getState().refreshToken) {
    const fresh = await refreshOnce()
    if (fresh) res = await send(url, form, { ...opts, token: fresh })
  }
  if (!isOk(res.status)) {
    const b = res.body
    const detail = b && typeof b === 'object' && 'detail' in b ? b.detail : b
    throw new ApiError(res.status, detail, o.failure)
  }
  return res
}

/** POST a form to an API path as the signed-in member, reporting progress; resolves with the JSON body. */
export async function uploadWithProgress<T>(
  path: string,
  form: FormData,
  onProgress?: (p: UploadProgress) => void,
): Promise<T> {
  const res = await postForm(path, form, {
    member: true,
    onProgress,
    failure: 'Upload failed',
    networkError: 'Upload failed: the server could not be reached.',
  })
  return res.body as T
}

/** A file the server answered with, and what its headers say about it. */
export interface ReceivedFile {
  blob: Blob
  filename: string | null
  requestId: string | null
}

/** The `filename="…"` of a Content-Disposition header. */
export function dispositionFilename(header: string | null): string | null {
  const m = header ? /filename="?([^";]+)"?/i.exec(header) : null
  return m?.[1] ?? null
}

/** POST a form and receive a file (e.g. a scored CSV); `member: false` calls as an outside caller. */
export async function postFormForFile(
  path: string,
  form: FormData,
  o: { member: boolean; headers?: Record<string, string>; onProgress?: (p: UploadProgress) => void; networkError: string },
): Promise<ReceivedFile> {
  const res = await postForm(path, form, { ...o, blob: true, failure: 'Request failed' })
  return {
    blob: res.body as Blob,
    filename: dispositionFilename(res.header('Content-Disposition')),
    requestId: res.header('X-Request-ID'),
  }
}
