/**
 * Batch scoring: pick a CSV, POST it to the deployment's `predict/csv` as the page's caller, then
 * offer the scored CSV as a download with its row count, the columns the model added and a preview.
 */
import { Fragment, useState, type FormEvent } from 'react'

import { useScoreCsv, type ScoredCsv } from '@/api/queries/deployments'
import type { CallerAuth, Deployment } from '@/api/types'
import type { UploadProgress } from '@/api/upload'
import { DataPreview } from '@/components/DataPreview'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { Field } from '@/components/ui/form'
import { saveBlob } from '@/lib/download'
import { formatBytes, formatCount, formatDuration } from '@/lib/format'

const ACCEPT = '.csv,text/csv'

/** What came back: row count, added columns, a preview, and the scored file to download. */
function ScoredDownload({ scored, elapsed, fallbackName }: { scored: ScoredCsv; elapsed: number | null; fallbackName: string }) {
  const { header, preview, rows } = scored.summary
  const filename = scored.filename ?? fallbackName
  const added = header.filter((c) => c === 'prediction' || c.startsWith('proba_'))
  return (
    <div className="space-y-3" role="status" aria-label="Scored CSV">
      <p className="text-sm text-slate-700" data-testid="csv-summary">
        Scored <span className="font-mono font-medium text-slate-900">{formatCount(rows)}</span> {rows === 1 ? 'row' : 'rows'}
        {elapsed !== null && <> in <span className="font-mono">{formatDuration(elapsed)}</span></>}
        {added.length > 0 && <> · added {added.map((c, i) => <Fragment key={c}>{i > 0 && ', '}<code className="font-mono text-xs">{c}</code></Fragment>)}</>}
        {scored.requestId && <> · <span className="font-mono text-xs text-slate-400">request {scored.requestId}</span></>}
      </p>
      <Button onClick={() => saveBlob(scored.blob, filename)}>Download {filename} ({formatBytes(scored.blob.size)})</Button>
      {preview.length > 0 && (
        <DataPreview preview={{ columns: header, rows: preview.map((r) => Object.fromEntries(header.map((c, i) => [c, r[i] ?? null]))) }} />
      )}
      {rows > preview.length && <p className="text-xs text-slate-500">First {preview.length} of {formatCount(rows)} rows shown; the download has them all.</p>}
    </div>
  )
}

function Progress({ progress }: { progress: UploadProgress }) {
  const sent = progress.percent === null || progress.percent >= 100
  return (
    <p className="text-xs text-slate-500" role="status" aria-label="Scoring progress">
      {sent ? 'Scoring on the server…' : `Uploading… ${progress.percent}%`}
    </p>
  )
}

/** `auth` is null while the caller still lacks a credential (an api-key deployment with no key typed). */
export function CsvScorer({ deployment, auth }: { deployment: Deployment; auth: CallerAuth | null }) {
  const score = useScoreCsv(deployment.id)
  const [file, setFile] = useState<File | null>(null)
  const [progress, setProgress] = useState<UploadProgress | null>(null)
  const [elapsed, setElapsed] = useState<number | null>(null)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!file || !auth) return
    const started = performance.now()
    setProgress({ loaded: 0, total: file.size, percent: 0 })
    score.mutate(
      { slug: deployment.slug, file, auth, onProgress: setProgress },
      { onSuccess: () => setElapsed(performance.now() - started), onSettled: () => setProgress(null) },
    )
  }

  return (
    <div className="grid gap-4 xl:grid-cols-[20rem_1fr]">
      <form onSubmit={submit} className="space-y-3" aria-label="Score a CSV file">
        <Field label="CSV file" hint="A header row with the pipeline's input columns; extra columns (ids) are kept in the output.">
          {(p) => (
            <input
              {...p}
              type="file"
              accept={ACCEPT}
              className="block w-full text-sm text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-200"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null)
                score.reset()
              }}
            />
          )}
        </Field>
        {progress && <Progress progress={progress} />}
        <ErrorNotice error={score.error} title="Not scored" />
        <Button type="submit" busy={score.isPending} disabled={!file || !auth}>Score CSV</Button>
      </form>
      <div className="min-w-0" aria-live="polite">
        {score.data
          ? <ScoredDownload scored={score.data} elapsed={elapsed} fallbackName={`${deployment.slug}-predictions.csv`} />
          : !score.isPending && <p className="text-sm text-slate-500">The scored file appears here, ready to download.</p>}
      </div>
    </div>
  )
}
