/**
 * The run-event WebSocket with the milestone's policy: connect with the access token, retry once
 * (resuming after the last event id) on an unexpected close, never retry auth failures
 * (4401/4403) or an unknown run (4404), and stop once `run.closed` arrives.
 */
import { refreshOnce } from '@/api/http'
import type { WsEvent } from '@/api/types'
import { secondsToExpiry } from '@/lib/jwt'
import { wsUrl } from '@/lib/ws'
import { useAuthStore } from '@/stores/auth'

/** A token this close to expiry is refreshed before (re)connecting, so the socket is not refused. */
const EXPIRY_MARGIN_S = 10

/** Call `onToken` with the access token: at once, or after a refresh when it is (nearly) expired. */
function withFreshToken(onToken: (token: string) => void, alive: () => boolean): void {
  const { accessToken, refreshToken } = useAuthStore.getState()
  const left = accessToken ? secondsToExpiry(accessToken) : null
  if (refreshToken && left !== null && left < EXPIRY_MARGIN_S) {
    void refreshOnce().then((fresh) => {
      if (alive()) onToken(fresh ?? accessToken ?? '')
    })
  } else {
    onToken(accessToken ?? '')
  }
}

export const RETRY_DELAY_MS = 500
export type StreamStatus = 'connecting' | 'live' | 'closed' | 'error'

export const CLOSE_MESSAGES: Record<number, string> = {
  4401: 'Your session has expired or is invalid — sign in again to follow this run.',
  4403: 'You do not have access to this run’s workspace.',
  4404: 'This run does not exist.',
}

export interface StreamHandlers {
  onStatus: (status: StreamStatus, error?: string) => void
  onEvent: (event: WsEvent) => void
}

function parse(data: unknown): WsEvent | null {
  try {
    return JSON.parse(String(data)) as WsEvent
  } catch {
    return null
  }
}

/** Open the stream for one run; returns a function that closes it for good. */
export function connectRunEvents(runId: string, { onStatus, onEvent }: StreamHandlers): () => void {
  let ws: WebSocket | null = null
  let retried = false
  let sawClosed = false
  let disposed = false
  let lastId = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const onMessage = (msg: MessageEvent) => {
    const event = parse(msg.data)
    if (disposed || !event) return
    const hasId = typeof event.id === 'number' && event.id > 0
    if (hasId && event.id <= lastId) return // already seen (replayed after a reconnect)
    if (hasId) lastId = event.id
    if (event.kind === 'run.closed') {
      sawClosed = true
      onStatus('closed')
    }
    onEvent(event)
  }

  const onClose = (ev: CloseEvent) => {
    if (disposed) return
    const fatal = CLOSE_MESSAGES[ev.code]
    if (fatal) onStatus('error', fatal)
    else if (sawClosed || ev.code === 1000) onStatus('closed')
    else if (!retried) {
      retried = true
      onStatus('connecting')
      timer = setTimeout(connect, RETRY_DELAY_MS)
    } else onStatus('error', 'The connection to the event stream was lost.')
  }

  function open(token: string) {
    const path = `/api/v1/runs/${encodeURIComponent(runId)}/events/ws`
    const socket = new WebSocket(wsUrl(path, { token, after_id: lastId > 0 ? lastId : undefined }))
    ws = socket
    socket.onopen = () => {
      if (!disposed) onStatus('live')
    }
    socket.onmessage = onMessage
    socket.onclose = onClose
  }

  function connect() {
    withFreshToken(open, () => !disposed)
  }

  connect()
  return () => {
    disposed = true
    if (timer) clearTimeout(timer)
    if (ws && ws.readyState <= 1) ws.close(1000)
  }
}
