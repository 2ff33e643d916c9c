/** The guardrail findings of a profile (what setup would report): ID-like, constant, leakage… */
import type { Finding } from '@/api/types'
import { cn } from '@/lib/cn'

export function ProfileFindings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) {
    return <p className="text-sm text-slate-600">No findings: no ID-like, constant or duplicate column, and no target problem found.</p>
  }
  return (
    <ul aria-label="Findings" className="space-y-1.5">
      {findings.map((f) => (
        <li key={`${f.code}:${f.column ?? ''}`} className="flex items-start gap-2 text-sm">
          <span
            className={cn(
              'mt-0.5 rounded px-1.5 py-0.5 text-[11px] font-medium uppercase',
              f.level === 'warning' ? 'bg-amber-100 text-amber-800' : 'bg-slate-100 text-slate-600',
            )}
          >
            {f.level}
          </span>
          <span className="text-slate-800">{f.message}</span>
        </li>
      ))}
    </ul>
  )
}
