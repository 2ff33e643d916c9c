import { useRef, useState, type FormEvent } from 'react'

import { useUploadDataSource } from '@/api/queries/dataSources'
import type { UploadProgress } from '@/api/upload'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { ErrorNotice } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'

const ACCEPT = '.csv,.parquet,.pq,text/csv'

/** Upload a CSV/Parquet file as a data source, with a progress bar. */
export function UploadForm({ workspaceId }: { workspaceId: string }) {
  const upload = useUploadDataSource(workspaceId)
  const [file, setFile] = useState<File | null>(null)
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [progress, setProgress] = useState<UploadProgress | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const fileRef = useRef<HTMLInputElement>(null)

  const pick = (f: File | null) => {
    setFile(f)
    setDone(null)
    if (f && !name) setName(f.name.replace(/\.[^.]+$/, ''))
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!file) return
    setProgress({ loaded: 0, total: file.size, percent: 0 })
    upload.mutate(
      { file, name: name.trim() || file.name, description: description.trim() || undefined, onProgress: setProgress },
      {
        onSuccess: (ds) => {
          setDone(ds.name)
          setFile(null)
          setName('')
          setDescription('')
          if (fileRef.current) fileRef.current.value = ''
        },
        onSettled: () => setProgress(null),
      },
    )
  }

  return (
    <Card title="Upload data" id="upload-data">
      <form onSubmit={submit} className="space-y-3">
        <Field label="File (CSV or Parquet)">
          {(p) => (
            <input
              {...p}
              ref={fileRef}
              type="file"
              accept={ACCEPT}
              className="block w-full text-sm text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-200"
              onChange={(e) => pick(e.target.files?.[0] ?? null)}
            />
          )}
        </Field>
        <Field label="Name">{(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
        <Field label="Description">{(p) => <Input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
        {progress && (
          <div>
            <div
              role="progressbar"
              aria-label="Upload progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={progress.percent ?? undefined}
              className="h-2 overflow-hidden rounded-full bg-slate-100"
            >
              <div className="h-full bg-teal-600 transition-[width]" style={{ width: `${progress.percent ?? 100}%` }} />
            </div>
            <p className="mt-1 text-xs text-slate-500">
              {progress.percent === null ? 'Uploading…' : progress.percent >= 100 ? 'Processing on the server…' : `Uploading… ${progress.percent}%`}
            </p>
          </div>
        )}
        <ErrorNotice error={upload.error} />
        {done && <p role="status" className="text-sm text-green-700">Uploaded “{done}”.</p>}
        <Button type="submit" busy={upload.isPending} disabled={!file}>Upload</Button>
      </form>
    </Card>
  )
}
