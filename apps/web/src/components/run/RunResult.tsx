/** A finished run's result: the data checks (findings) tone-coded, then the other fields. */
import { Card } from '@/components/ui/Card'
import { KeyValues } from '@/components/ui/KeyValues'
import { cn } from '@/lib/cn'

interface Finding {
  level?: string
  code?: string
  message?: string
  column?: string | null
}

const TONE: Record<string, string> = {
  error: 'border-red-200 bg-red-50 text-red-800',
  warning: 'border-amber-200 bg-amber-50 text-amber-900',
  info: 'border-slate-200 bg-slate-50 text-slate-700',
}

function isFinding(x: unknown): x is Finding {
  return !!x && typeof x === 'object' && typeof (x as Finding).message === 'string'
}

export function RunResult({ result }: { result: Record<string, unknown> }) {
  const { findings, ...rest } = result
  const list = Array.isArray(findings) ? findings.filter(isFinding) : []
  return (
    <Card title="Result" id="result">
      {list.length > 0 && (
        <ul aria-label="Data checks" className="mb-4 space-y-1.5">
          {list.map((f, i) => (
            <li key={`${f.code ?? 'finding'}-${i}`} className={cn('rounded-md border px-3 py-1.5 text-sm', TONE[f.level ?? 'info'] ?? TONE.info)}>
              <span className="mr-2 font-mono text-xs uppercase">{f.level ?? 'info'}</span>
              {f.column && <code className="mr-1 font-mono text-xs">{f.column}:</code>}
              {f.message}
            </li>
          ))}
        </ul>
      )}
      <KeyValues label="Run result" data={rest} />
    </Card>
  )
}
