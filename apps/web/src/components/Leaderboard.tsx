/**
 * Renders any JSON table the engine emits (`{columns, rows}`), hard-coding no metric name.
 * Column order is the engine's; click a header to sort (desc first, then asc). Optionally a
 * checkbox per row (`selection`, keyed by model id) and a per-row menu (`rowMenu`).
 */
import { memo, useMemo, useState, type MouseEvent, type ReactNode } from 'react'
import { Link } from 'react-router-dom'

import type { LeaderboardTable } from '@/api/types'
import { EmptyState } from '@/components/ui/feedback'
import { cn } from '@/lib/cn'
import { exactNumber, formatNumber } from '@/lib/format'

type Row = Record<string, unknown>
type Dir = 'desc' | 'asc'

interface Props {
  table: LeaderboardTable | null | undefined
  caption?: string
  /** Called with a row when the user picks it (e.g. to promote that model). */
  onSelectRow?: (row: Row) => void
  /** Where a row leads (its model's page); the row then opens it on click, its first cell is a link. */
  rowHref?: (row: Row) => string | undefined
  selection?: RowSelection
  /** A row's own actions (a menu), shown in a last column. */
  rowMenu?: (row: Row) => ReactNode
  /** Why a row's cell is empty (its "—" says so on hover), when the caller knows. */
  whyEmpty?: WhyEmpty
  /** What an empty table says (default: rows are on their way). */
  empty?: ReactNode
}

/** Why ``row`` has no value in ``column``; undefined: nothing to say. */
export type WhyEmpty = (column: string, row: Row) => string | undefined

/** Rows the user ticks, by model id; `can` says which rows may be ticked. */
export interface RowSelection {
  selected: ReadonlySet<string>
  onToggle: (modelId: string) => void
  can: (row: Row) => boolean
}

/** A row's model id, or null for rows without one. */
export function rowModelId(row: Row): string | null {
  return typeof row.model_id === 'string' && row.model_id ? row.model_id : null
}

function SelectCell({ row, selection, checked }: { row: Row; selection: RowSelection; checked: boolean }) {
  const id = rowModelId(row)
  const label = `Select ${typeof row.Model === 'string' ? row.Model : (id ?? 'row')}`
  return (
    <td className="w-8 px-2 py-1.5" onClick={(e) => e.stopPropagation()}>
      {id && selection.can(row) && (
        <input type="checkbox" aria-label={label} className="h-4 w-4 accent-teal-700" checked={checked} onChange={() => selection.onToggle(id)} />
      )}
    </td>
  )
}

/** The engine's declared columns, or the first row's keys when none are declared. */
export function tableColumns(table: LeaderboardTable | null | undefined): string[] {
  if (!table) return []
  if (table.columns && table.columns.length > 0) return table.columns
  const first = table.rows?.[0]
  return first ? Object.keys(first).filter((k) => k !== 'model_id') : []
}

/** Compare two cells: numbers numerically, anything else with localeCompare; empty cells last. */
export function compareCells(a: unknown, b: unknown, dir: Dir): number {
  const emptyA = a === null || a === undefined || a === ''
  const emptyB = b === null || b === undefined || b === ''
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1
  const sign = dir === 'asc' ? 1 : -1
  if (typeof a === 'number' && typeof b === 'number') return sign * (a - b)
  return sign * String(a).localeCompare(String(b), undefined, { numeric: true })
}

/** How many folds a raced-out row ran (`"partial": true, "folds_done": k`), else null. */
export function partialFolds(row: Row): number | null {
  if (row.partial !== true) return null
  return typeof row.folds_done === 'number' ? row.folds_done : 0
}

/** The training rows a row halving stopped ran its folds on (`"fit_rows": n`), else null. */
function fitRows(row: Row): number | null {
  return typeof row.fit_rows === 'number' ? row.fit_rows : null
}

function PartialBadge({ folds, rows }: { folds: number; rows: number | null }) {
  const title =
    rows === null
      ? 'Raced out: another model beat it beyond noise on the folds both ran; its scores are the mean of the folds it ran'
      : `Halved out: on ${rows.toLocaleString('en-US')} training rows per fold another model beat the most its learning curve allows on the whole folds; its scores are the mean of those folds`
  return (
    <span
      className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-[0.7rem] font-normal text-slate-600"
      title={title}
      data-testid="partial-badge"
    >
      stopped · {folds} {folds === 1 ? 'fold' : 'folds'}
      {rows !== null && ` on ${rows.toLocaleString('en-US')} rows`}
    </span>
  )
}

function Cell({ value, href, badge, why }: { value: unknown; href?: string; badge?: ReactNode; why?: string }) {
  if (href) {
    const text = value === null || value === undefined ? 'open' : typeof value === 'string' ? value : String(value)
    return (
      <td className="max-w-xs truncate px-3 py-1.5" title={text}>
        <Link to={href} className="font-medium text-teal-800 hover:underline" onClick={(e) => e.stopPropagation()}>
          {text}
        </Link>
        {badge}
      </td>
    )
  }
  if (typeof value === 'number') {
    return (
      <td className="px-3 py-1.5 text-right font-mono tabular-nums" title={exactNumber(value)}>
        {formatNumber(value)}
      </td>
    )
  }
  if (value === null || value === undefined) {
    return <td className={cn('px-3 py-1.5 text-right text-slate-300', why && 'cursor-help')} title={why}>—</td>
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return (
    <td className="max-w-xs truncate px-3 py-1.5" title={text}>
      {text}
      {badge}
    </td>
  )
}

const LeaderboardRow = memo(function LeaderboardRow({ row, columns, onSelect, href, selection, checked, rowMenu, whyEmpty }: RowProps) {
  const failed = row.Error !== undefined && row.Error !== null && row.Error !== ''
  const partial = partialFolds(row)
  // A row with a page opens it wherever it is clicked: through its first cell's link.
  const open = (e: MouseEvent<HTMLTableRowElement>) => e.currentTarget.querySelector('a')?.click()
  const onClick = href ? open : onSelect ? () => onSelect(row) : undefined
  return (
    <tr
      className={cn(
        'border-t border-slate-100 hover:bg-slate-50',
        failed && 'text-red-700',
        partial !== null && 'text-slate-500',
        href && 'cursor-pointer',
        checked && 'bg-teal-50/60',
      )}
      onClick={onClick}
      data-testid={href ? 'leaderboard-row-link' : undefined}
      data-partial={partial !== null ? 'true' : undefined}
    >
      {selection && <SelectCell row={row} selection={selection} checked={checked} />}
      {columns.map((c, i) => (
        <Cell key={c} value={row[c]} href={i === 0 ? href : undefined} badge={i === 0 && partial !== null ? <PartialBadge folds={partial} rows={fitRows(row)} /> : undefined}
          why={row[c] === null || row[c] === undefined ? whyEmpty?.(c, row) : undefined} />
      ))}
      {rowMenu && <td className="w-10 px-1 py-1 text-right" onClick={(e) => e.stopPropagation()}>{rowMenu(row)}</td>}
    </tr>
  )
}, sameRow)

/** Live updates send a fresh table each time; skip re-rendering rows whose cells did not change. */
interface RowProps {
  row: Row
  columns: string[]
  onSelect?: (row: Row) => void
  href?: string
  selection?: RowSelection
  checked: boolean
  rowMenu?: (row: Row) => ReactNode
  whyEmpty?: WhyEmpty
}

function sameRow(a: RowProps, b: RowProps): boolean {
  if (a.columns !== b.columns || a.onSelect !== b.onSelect || a.href !== b.href || a.whyEmpty !== b.whyEmpty) return false
  if (a.selection !== b.selection || a.checked !== b.checked || a.rowMenu !== b.rowMenu) return false
  if (a.row === b.row) return true
  return b.columns.every((c) => a.row[c] === b.row[c]) && a.row.Error === b.row.Error && a.row.partial === b.row.partial && a.row.folds_done === b.row.folds_done && a.row.fit_rows === b.row.fit_rows
}

export function Leaderboard({ table, caption = 'Leaderboard', onSelectRow, rowHref, selection, rowMenu, whyEmpty, empty }: Props) {
  const [sort, setSort] = useState<{ col: string; dir: Dir } | null>(null)
  // Keep the columns array stable across live updates with the same header (lets rows skip renders).
  const colsKey = tableColumns(table).join('\u0001')
  const columns = useMemo(() => (colsKey ? colsKey.split('\u0001') : []), [colsKey])
  const rows = table?.rows
  const sorted = useMemo(() => {
    if (!rows) return []
    if (!sort) return rows
    return [...rows].sort((a, b) => compareCells(a[sort.col], b[sort.col], sort.dir))
  }, [rows, sort])

  // Stable keys (model id, else first cell) so memoized rows survive re-sorts and live updates.
  const rowKeys = useMemo(() => {
    const keys = new Map<Row, string>()
    const seen = new Set<string>()
    for (const row of rows ?? []) {
      let key = String(row.model_id ?? row[columns[0] ?? ''] ?? '')
      while (seen.has(key)) key = `${key}~`
      seen.add(key)
      keys.set(row, key)
    }
    return keys
  }, [rows, columns])

  if (!rows || rows.length === 0 || columns.length === 0) {
    return (
      <EmptyState title="No leaderboard yet">{empty ?? 'Rows appear here as models finish, best first.'}</EmptyState>
    )
  }

  const toggle = (col: string) =>
    setSort((s) => (s && s.col === col ? { col, dir: s.dir === 'desc' ? 'asc' : 'desc' } : { col, dir: 'desc' }))

  return (
    <div className="overflow-x-auto rounded-md border border-slate-200" data-testid="leaderboard">
      <table className="min-w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs text-slate-600">
          <tr>
            {selection && <th scope="col" className="w-8 px-2 py-1"><span className="sr-only">Select</span></th>}
            {columns.map((c) => {
              const active = sort?.col === c
              const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'
              const numeric = typeof rows[0]?.[c] === 'number'
              return (
                <th key={c} scope="col" aria-sort={ariaSort} className={cn('px-1 py-1', numeric && 'text-right')}>
                  <button
                    type="button"
                    onClick={() => toggle(c)}
                    className={cn(
                      'w-full rounded px-2 py-1 font-semibold whitespace-nowrap hover:bg-slate-200/60',
                      numeric ? 'text-right' : 'text-left',
                      active && 'text-teal-800',
                    )}
                  >
                    {c}
                    <span aria-hidden className="ml-1 inline-block w-2 text-slate-400">
                      {active ? (sort.dir === 'desc' ? '↓' : '↑') : ''}
                    </span>
                  </button>
                </th>
              )
            })}
            {rowMenu && <th scope="col" className="w-10 px-1 py-1"><span className="sr-only">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row, i) => (
            <LeaderboardRow key={rowKeys.get(row) ?? i} row={row} columns={columns} onSelect={onSelectRow} href={rowHref?.(row)}
              selection={selection} checked={!!selection && selection.selected.has(rowModelId(row) ?? '')} rowMenu={rowMenu} whyEmpty={whyEmpty} />
          ))}
        </tbody>
      </table>
    </div>
  )
}
