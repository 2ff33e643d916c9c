import { cn } from '@/lib/cn'

const TONES: Record<string, string> = {
  succeeded: 'bg-green-50 text-green-800 ring-green-600/20',
  ready: 'bg-green-50 text-green-800 ring-green-600/20',
  active: 'bg-green-50 text-green-800 ring-green-600/20',
  running: 'bg-teal-50 text-teal-800 ring-teal-600/20',
  building: 'bg-teal-50 text-teal-800 ring-teal-600/20',
  failed: 'bg-red-50 text-red-800 ring-red-600/20',
  cancelled: 'bg-amber-50 text-amber-800 ring-amber-600/20',
  queued: 'bg-slate-100 text-slate-600 ring-slate-500/20',
  disabled: 'bg-red-50 text-red-800 ring-red-600/20',
}

/** Tone-coded status label: succeeded green, running teal, failed red, cancelled amber, queued muted. */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <span
      data-testid="status-badge"
      className={cn(
        'inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset',
        TONES[status] ?? 'bg-slate-100 text-slate-600 ring-slate-500/20',
        className,
      )}
    >
      {(status === 'running' || status === 'building') && (
        <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden />
      )}
      {status}
    </span>
  )
}
