/**
 * Multipart upload with progress events. `fetch` cannot report upload progress, so this one
 * request uses XMLHttpRequest; it shares the token store and refreshes once on 401.
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

function send(url: string, form: FormData, token: string | null, onProgress?: (p: UploadProgress) => void) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.upload.onprogress = (e: ProgressEvent) => {
      onProgress?.({
        loaded: e.loaded,
        total: e.total,
        percent: e.lengthComputable && e.total > 0 ? Math.round((e.loaded / e.total) * 100) : null,
      })
    }
    xhr.onload = () => {
      let body: unknown = xhr.responseText
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined
      } catch {
        /* keep the raw text */
      }
      resolve({ status: xhr.status, body })
    }
    xhr.onerror = () => reject(new ApiError(0, 'Upload failed: the server could not be reached.'))
    xhr.send(form)
  })
}

/** POST a form to an API path, reporting progress; resolves with the parsed JSON body. */
export async function uploadWithProgress<T>(
  path: string,
  form: FormData,
  onProgress?: (p: UploadProgress) => void,
): Promise<T> {
  const url = `${apiOrigin()}${API_PREFIX}${path}`
  let res = await send(url, form, useAuthStore.getState().accessToken, onProgress)
  if (res.status === 401 && useAuthStore.getState().refreshToken) {
    const fresh = await refreshOnce()
    if (fresh) res = await send(url, form, fresh, onProgress)
  }
  if (res.status < 200 || res.status >= 300) {
    const b = res.body
    const detail = b && typeof b === 'object' && 'detail' in b ? b.detail : b
    throw new ApiError(res.status, detail, 'Upload failed')
  }
  return res.body as T
}
