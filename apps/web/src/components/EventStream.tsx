/**
 * The run's event log and connection status, as `useRunStream` (components/run/useRunStream.ts)
 * holds them: a display only — the hook owns the WebSocket.
 */
import { memo, useLayoutEffect, useRef } from 'react'

import type { StreamStatus } from '@/api/runEvents'
import type { WsEvent } from '@/api/types'
import { cn } from '@/lib/cn'
import { displayValue, formatDuration, formatTime } from '@/lib/format'

/** Tone for an event kind: started teal, finished/created/fitted green, failed/error red, warning/stopped amber. */
export function kindTone(kind: string): string {
  if (kind.endsWith('.failed') || kind.includes('error')) return 'text-red-700'
  if (kind === 'warning' || kind.endsWith('.warning') || kind.endsWith('.cancelled') || kind.endsWith('.stopped')) return 'text-amber-700'
  if (kind.endsWith('.started')) return 'text-teal-700'
  if (kind.endsWith('.finished') || kind.endsWith('.created') || kind.endsWith('.fitted')) return 'text-green-700'
  return 'text-slate-600'
}

const STATUS_TONE: Record<StreamStatus, string> = {
  connecting: 'text-slate-500',
  live: 'text-teal-700',
  closed: 'text-slate-500',
  error: 'text-red-700',
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`

/** One-line summary of a payload: scalar fields and score objects; big tables are left out. */
export function summarizePayload(payload: Record<string, unknown>): string {
  const parts: string[] = []
  for (const [key, value] of Object.entries(payload)) {
    if (value === null || value === undefined) continue
    if (Array.isArray(value)) {
      const short = value.length <= 5 && value.every((v) => typeof v !== 'object')
      parts.push(`${key}: ${short ? value.join(', ') : count(value.length, 'item')}`)
    } else if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>)
      const rows = (value as { rows?: unknown }).rows
      if (Array.isArray(rows)) parts.push(`${key}: ${count(rows.length, 'row')}`)
      else if (entries.length > 0 && entries.length <= 12 && entries.every(([, v]) => typeof v !== 'object' || v === null)) {
        parts.push(entries.map(([k, v]) => `${k} ${displayValue(v)}`).join(' · '))
      }
    } else {
      parts.push(`${key}: ${displayValue(value)}`)
    }
  }
  return parts.join('   ')
}

const EventRow = memo(function EventRow({ event }: { event: WsEvent }) {
  const summary = summarizePayload(event.payload ?? {})
  return (
    <li className="grid grid-cols-[5.5rem_11rem_1fr_4rem] items-baseline gap-2 border-b border-slate-100 px-3 py-1.5 text-xs last:border-b-0">
      <time className="font-mono text-slate-400 tabular-nums" dateTime={event.ts}>
        {formatTime(event.ts)}
      </time>
      <span className={cn('truncate font-mono font-medium', kindTone(event.kind))}>{event.kind}</span>
      <span className="truncate text-slate-600" title={summary}>
        {summary}
      </span>
      <span className="text-right font-mono text-slate-500 tabular-nums">
        {event.duration_ms !== null && event.duration_ms !== undefined ? formatDuration(event.duration_ms) : ''}
      </span>
    </li>
  )
})

interface Props {
  events: WsEvent[]
  status: StreamStatus
  error?: string | null
}

/** Displays a run's events as `useRunStream` holds them; it opens no socket of its own. */
export function EventStream({ events, status, error }: Props) {
  const listRef = useRef<HTMLOListElement>(null)
  const stickRef = useRef(true)

  // Follow the tail while the user is at the bottom of the log.
  useLayoutEffect(() => {
    const el = listRef.current
    if (el && stickRef.current) el.scrollTop = el.scrollHeight
  }, [events])

  return (
    <div className="rounded-lg border border-slate-200 bg-white" data-testid="event-stream">
      <div className="flex items-center justify-between border-b border-slate-200 px-3 py-2">
        <h2 className="text-sm font-semibold text-slate-800">Events</h2>
        <div className="flex items-center gap-3 text-xs">
          <span data-testid="stream-status" role="status" className={cn('font-medium', STATUS_TONE[status])}>
            ● {status}
          </span>
          <span className="text-slate-500 tabular-nums" data-testid="event-count">
            {events.length} {events.length === 1 ? 'event' : 'events'}
          </span>
        </div>
      </div>
      {error && (
        <div role="alert" className="border-b border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </div>
      )}
      {events.length === 0 ? (
        <p className="px-3 py-6 text-center text-sm text-slate-500">
          {status === 'connecting' ? 'Connecting to the event stream…' : 'No events yet.'}
        </p>
      ) : (
        <ol
          ref={listRef}
          aria-label="Run events"
          className="max-h-96 overflow-y-auto"
          onScroll={(e) => {
            const el = e.currentTarget
            stickRef.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24
          }}
        >
          {events.map((e, i) => (
            <EventRow key={typeof e.id === 'number' && e.id > 0 ? e.id : `${e.kind}-${i}`} event={e} />
          ))}
        </ol>
      )}
    </div>
  )
}
