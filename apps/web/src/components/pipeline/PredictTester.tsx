/** Try a deployment: JSON rows in, a predictions table and the latency out. */
import { useState, type FormEvent } from 'react'

import { usePredict } from '@/api/queries/deployments'
import type { CallerAuth, Deployment, InputColumn, PredictResult } from '@/api/types'
import { DataPreview } from '@/components/DataPreview'
import { Explanations } from '@/components/pipeline/Explanations'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { Field, Textarea } from '@/components/ui/form'
import { formatDuration } from '@/lib/format'

/** Parse the editor text: one object or an array of objects. Throws a readable message. */
export function parseRows(text: string): Array<Record<string, unknown>> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new Error(`Not valid JSON: ${(e as Error).message}`)
  }
  const rows = Array.isArray(value) ? value : [value]
  if (rows.length === 0) throw new Error('Give at least one row.')
  if (!rows.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
    throw new Error('Each row must be a JSON object of column → value.')
  }
  return rows as Array<Record<string, unknown>>
}

/**
 * The editor's first text: the pipeline's first example (a real row of its training data, as
 * JSON predict takes it), or — for pipelines built before examples were kept — a row of the
 * input schema's columns that the server accepts (0, true where the column spells true/false,
 * null for missing).
 */
export function exampleRows(schema: InputColumn[], examples: Array<Record<string, unknown>> = []): string {
  const first = examples[0]
  if (first) return JSON.stringify([first], null, 2)
  const row = Object.fromEntries(schema.map((c) => [c.name, c.kind === 'numeric' ? 0 : c.boolean_values ? true : null]))
  return JSON.stringify([row], null, 2)
}

/** One table row per input row: the prediction, then any class probabilities. A prediction that
 * is an object (clustering `{cluster}`, anomaly detection `{score, anomaly}`) gives one column per field. */
export function predictionRows(result: PredictResult): Array<Record<string, unknown>> {
  return result.predictions.map((prediction, i) => {
    if (prediction !== null && typeof prediction === 'object' && !Array.isArray(prediction)) {
      return { row: i + 1, ...(prediction as Record<string, unknown>) }
    }
    const probs = result.probabilities?.[i] ?? {}
    return { row: i + 1, prediction, ...Object.fromEntries(Object.entries(probs).map(([k, v]) => [`P(${k})`, v])) }
  })
}

/** `auth` is null while the caller still lacks a credential (an api-key deployment with no key typed). */
export function PredictTester({
  deployment,
  schema,
  examples,
  auth,
}: {
  deployment: Deployment
  schema: InputColumn[]
  examples?: Array<Record<string, unknown>>
  auth: CallerAuth | null
}) {
  const predict = usePredict(deployment.id)
  const [text, setText] = useState(() => exampleRows(schema, examples))
  const [parseError, setParseError] = useState<string | null>(null)
  const [elapsed, setElapsed] = useState<number | null>(null)
  const [explain, setExplain] = useState(false)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!auth) return
    let rows: Array<Record<string, unknown>>
    try {
      rows = parseRows(text)
    } catch (err) {
      setParseError((err as Error).message)
      return
    }
    setParseError(null)
    const started = performance.now()
    predict.mutate({ slug: deployment.slug, rows, auth, explain }, { onSuccess: () => setElapsed(performance.now() - started) })
  }

  const result = predict.data
  const latency = result?.latency_ms ?? elapsed
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      <form onSubmit={submit} className="space-y-3" aria-label="Prediction tester">
        <Field label="Rows (JSON)" hint="An array of objects, one per row." error={parseError}>
          {(p) => <Textarea {...p} rows={10} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" className="h-4 w-4 accent-teal-700" checked={explain} onChange={(e) => setExplain(e.target.checked)} />
          Explain each prediction (SHAP contributions per column; up to 100 rows)
        </label>
        <ErrorNotice error={predict.error} />
        <Button type="submit" busy={predict.isPending} disabled={!auth}>Predict</Button>
      </form>
      <div className="min-w-0 space-y-2" aria-live="polite">
        {result && (
          <>
            <p className="text-sm text-slate-600" data-testid="predict-latency">
              {result.predictions.length} {result.predictions.length === 1 ? 'prediction' : 'predictions'} in{' '}
              <span className="font-mono font-medium text-slate-900">{latency !== null && latency !== undefined ? formatDuration(latency) : '—'}</span>
              {' '}
              <span className="ml-1 font-mono text-xs text-slate-400">request {result.request_id}</span>
            </p>
            {!!result.ignored_columns?.length && (
              <p className="text-xs text-slate-500" data-testid="predict-ignored">
                Ignored, the model does not read them: {result.ignored_columns.join(', ')}
              </p>
            )}
            <DataPreview preview={{ columns: [], rows: predictionRows(result) }} />
            {result.explanations && <Explanations explanations={result.explanations} />}
          </>
        )}
        {!result && !predict.isPending && <p className="text-sm text-slate-500">Predictions appear here.</p>}
      </div>
    </div>
  )
}
