import type { ReactNode } from 'react'

import { errorMessage } from '@/lib/errors'

/** Inline loading line. */
export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div role="status" className="flex items-center gap-2 py-3 text-sm text-slate-500">
      <span className="size-3 animate-spin rounded-full border-2 border-slate-300 border-t-teal-600" aria-hidden />
      {label}
    </div>
  )
}

/** An error shown where it happened, in the server's words. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {title && <span className="font-medium">{title}: </span>}
      {errorMessage(error)}
    </div>
  )
}

/** Placeholder for a list with nothing in it yet. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center">
      <p className="text-sm font-medium text-slate-700">{title}</p>
      {children && <div className="mt-1 text-sm text-slate-500">{children}</div>}
    </div>
  )
}

/** A small key figure (requests, p95, …). */
export function StatCard({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3" aria-label={label} role="group">
      <div className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</div>
      <div className="mt-1 font-mono text-xl text-slate-900 tabular-nums">{value}</div>
      {hint && <div className="mt-0.5 text-xs text-slate-400">{hint}</div>}
    </div>
  )
}
