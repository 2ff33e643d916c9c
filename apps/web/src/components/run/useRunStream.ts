/**
 * The run page's one owner of the run-event WebSocket (`connectRunEvents`: token, `after_id`
 * resume, a single retry on an unexpected close, none on 4401/4403/4404, stop at `run.closed`).
 * It holds what the page shows — the last 500 events, the connection status, the newest streamed
 * leaderboard, progress, warnings and every `trial.finished` (tune, auto) — and the displays
 * (EventStream, Leaderboard, RunProgress, TrialsPanel) only render it. State is tagged with its run, so switching runs never mixes two streams.
 */
import { useEffect, useLayoutEffect, useReducer, useRef } from 'react'

import { connectRunEvents, type StreamStatus } from '@/api/runEvents'
import type { LeaderboardTable, WsEvent } from '@/api/types'
import { progressOf, warningOf, type RunProgressInfo, type RunWarning } from '@/components/run/RunProgress'
import { trialOf, type TrialRow } from '@/components/run/trials'

export const MAX_EVENTS = 500
/** Trials kept for the trials table and the best-so-far curve (a long `auto` run stays bounded). */
export const MAX_TRIALS = 5000
/** Kinds whose payload carries the whole current table (docs/contracts.md, Events). */
const TABLE_KINDS = new Set(['leaderboard.updated', 'compare.finished', 'create.finished'])
/** Kinds after which the run's stored state (status, leaderboard, result) changed. */
const TERMINAL_KINDS = new Set(['run.finished', 'run.failed', 'run.cancelled', 'run.closed'])

export interface RunStreamState {
  runId: string
  events: WsEvent[]
  status: StreamStatus
  error: string | null
  /** The newest table a `leaderboard.updated` / `*.finished` event carried. */
  table: LeaderboardTable | null
  progress: RunProgressInfo | null
  warnings: RunWarning[]
  /** Every `trial.finished`, in the order they ended (not trimmed with the events). */
  trials: TrialRow[]
}

type Action = { runId: string } & ({ type: 'status'; status: StreamStatus; error?: string } | { type: 'event'; event: WsEvent })

const initial = (runId: string): RunStreamState => ({ runId, events: [], status: 'connecting', error: null, table: null, progress: null, warnings: [], trials: [] })

function isTable(x: unknown): x is LeaderboardTable {
  return !!x && typeof x === 'object' && Array.isArray((x as LeaderboardTable).rows)
}

export function reduceRunStream(prev: RunStreamState, action: Action): RunStreamState {
  const state = prev.runId === action.runId ? prev : initial(action.runId)
  if (action.type === 'status') return { ...state, status: action.status, error: action.error ?? state.error }
  const { event } = action
  const table = event.payload?.leaderboard
  const warning = warningOf(event)
  const trial = trialOf(event)
  return {
    ...state,
    events: [...state.events.slice(Math.max(0, state.events.length - MAX_EVENTS + 1)), event],
    table: TABLE_KINDS.has(event.kind) && isTable(table) ? table : state.table,
    progress: progressOf(event) ?? state.progress,
    warnings: warning && !state.warnings.some((w) => w.id === warning.id) ? [...state.warnings, warning] : state.warnings,
    // events arrive in id order (a resumed socket replays after the last id): skip repeats cheaply
    trials: trial && trial.eventId > (state.trials.at(-1)?.eventId ?? -Infinity)
      ? [...state.trials.slice(Math.max(0, state.trials.length - MAX_TRIALS + 1)), trial]
      : state.trials,
  }
}

/** What the REST run says, to settle the leaderboard once the run ended. */
export interface RunSnapshot {
  pending: boolean
  leaderboard?: LeaderboardTable | null
}

export interface RunStream extends RunStreamState {
  /** The table to show: a finished run's stored one, else the newest streamed, else the stored. */
  leaderboard: LeaderboardTable | null
}

/**
 * Follow one run's events once its REST record is known (`rest`; none for an unknown run, so no
 * socket is opened); `onTerminal` runs after each terminal event (e.g. to refetch the run).
 */
export function useRunStream(runId: string, rest?: RunSnapshot, onTerminal?: (event: WsEvent) => void): RunStream {
  const [tagged, dispatch] = useReducer(reduceRunStream, runId, initial)
  const onTerminalRef = useRef(onTerminal)
  useLayoutEffect(() => {
    onTerminalRef.current = onTerminal
  })

  const known = rest !== undefined
  useEffect(() => {
    if (!known) return
    return connectRunEvents(runId, {
      onStatus: (status, error) => dispatch({ runId, type: 'status', status, error }),
      onEvent: (event) => {
        dispatch({ runId, type: 'event', event })
        if (TERMINAL_KINDS.has(event.kind)) onTerminalRef.current?.(event)
      },
    })
  }, [runId, known])

  const state = tagged.runId === runId ? tagged : initial(runId)
  const stored = rest?.leaderboard ?? null
  const leaderboard = (rest && !rest.pending && stored) || state.table || stored
  return { ...state, leaderboard }
}
