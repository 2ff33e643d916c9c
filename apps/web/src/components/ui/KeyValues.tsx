import { displayValue } from '@/lib/format'

/** A two-column <dl> of any JSON object; nested values shown as compact JSON. */
export function KeyValues({ data, label }: { data: Record<string, unknown>; label: string }) {
  const entries = Object.entries(data)
  if (entries.length === 0) return <p className="text-sm text-slate-500">Nothing recorded.</p>
  return (
    <dl aria-label={label} className="grid grid-cols-[minmax(8rem,14rem)_1fr] gap-x-4 gap-y-1.5 text-sm">
      {entries.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="truncate font-medium text-slate-500" title={k}>{k}</dt>
          <dd className="min-w-0 font-mono text-xs break-all text-slate-800">
            {v !== null && typeof v === 'object' ? (
              <pre className="max-h-48 overflow-auto rounded bg-slate-50 p-2 whitespace-pre-wrap">{JSON.stringify(v, null, 2)}</pre>
            ) : (
              displayValue(v)
            )}
          </dd>
        </div>
      ))}
    </dl>
  )
}
