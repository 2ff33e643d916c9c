/** Display formatting shared by every screen. Pure functions, no React. */

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const FOUR_SIG = new Intl.NumberFormat('en-US', { minimumSignificantDigits: 4, maximumSignificantDigits: 4 })
const UP_TO_FOUR_SIG = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 })

/**
 * Format a metric for reading (the exact value belongs in a tooltip or an export, see `exactNumber`):
 * - below 1e-3 or from 1e12 up: four significant digits in exponent form, `1.234e-4`, `6.557e12`;
 * - from 1e4 up: rounded to a whole number with thousands separators, `655,651,563`;
 * - otherwise four significant digits, `0.9235`, `0.5000`, `12.35`, `1,235` — below 0.1 without
 *   trailing zeros (`0.002`, not `0.002000`: short fit times read as what they are); integers below
 *   1e4 stay bare.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  if (value === 0) return '0'
  if (abs < 1e-3 || abs >= 1e12) return value.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e')
  if (abs >= 1e4) return GROUPED.format(value)
  if (Number.isInteger(value)) return String(value)
  return (abs < 0.1 ? UP_TO_FOUR_SIG : FOUR_SIG).format(value)
}

const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 4 })

/**
 * Format an axis tick or a chart label, where space is short and the values are round: up to
 * four significant digits without trailing zeros (`0.2`, `0.95`, `12.5`), compact from 1e4 up
 * (`250K`, `6.557B`), exponent form below 1e-3 (`2e-4`).
 */
export function formatTick(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  if (value === 0) return '0'
  if (abs < 1e-3 || abs >= 1e15) return value.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e')
  if (abs >= 1e4) return COMPACT.format(value)
  return UP_TO_FOUR_SIG.format(value)
}

/** The full-precision value, for a `title` tooltip next to `formatNumber`. */
export function exactNumber(value: number): string {
  return String(value)
}

/** Short duration: `850ms` below one second, `3.5s` below a minute, then `2m 05s`, `1h 02m`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  if (ms < 10 && !Number.isInteger(ms)) return `${ms.toFixed(1)}ms`
  if (ms < 1000) return `${Math.round(ms)}ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}

/** Duration between two ISO timestamps (end defaults to now), or null when start is missing. */
export function elapsedMs(start?: string | null, end?: string | null, now = Date.now()): number | null {
  if (!start) return null
  const a = Date.parse(start)
  const b = end ? Date.parse(end) : now
  if (Number.isNaN(a) || Number.isNaN(b)) return null
  return Math.max(0, b - a)
}

/** First eight characters of an id, enough to tell runs apart at a glance. */
export function shortId(id: string | number): string {
  return String(id).slice(0, 8)
}

/** Human byte size: `512 B`, `1.5 kB`, `2.3 MB`. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—'
  if (n < 1024) return `${n} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i += 1
  }
  return `${v.toFixed(1)} ${units[i]}`
}

/** Wall-clock time of an ISO timestamp, `14:03:07`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleTimeString(undefined, { hour12: false })
}

/** Date and time of an ISO timestamp, `2026-11-28 14:03`. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const pad = (x: number) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** Integer with thousands separators. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—'
  return n.toLocaleString('en-US')
}

/** Render any JSON-ish value as short display text. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'number') return formatNumber(value)
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return JSON.stringify(value)
}
