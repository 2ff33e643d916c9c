/** Promote a run's model to a versioned pipeline: a name, and which model for a comparison. */
import { useState, type FormEvent } from 'react'
import { Link } from 'react-router-dom'

import { usePromoteRun } from '@/api/queries/runs'
import type { LeaderboardTable, Run } from '@/api/types'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { Input, Select } from '@/components/ui/form'

/** Model ids in leaderboard order (best first), skipping failed rows. */
export function rankedModels(table: LeaderboardTable | null | undefined): Array<{ id: string; label: string }> {
  return (table?.rows ?? [])
    .filter((r) => typeof r.model_id === 'string' && !r.Error)
    .map((r) => ({ id: String(r.model_id), label: typeof r.Model === 'string' ? `${r.Model} (${String(r.model_id)})` : String(r.model_id) }))
}

export function PromoteForm({ run, table }: { run: Run; table: LeaderboardTable | null | undefined }) {
  const promote = usePromoteRun(run.id)
  const models = rankedModels(table)
  const [name, setName] = useState(`run-${run.id.slice(0, 8)}`)
  const [model, setModel] = useState('')
  const done = promote.isSuccess

  const submit = (e: FormEvent) => {
    e.preventDefault()
    promote.mutate({ name: name.trim(), ...(model ? { model_id: model } : {}) })
  }

  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2" aria-label="Promote to pipeline">
      <Input aria-label="Pipeline name" className="w-48" required value={name} disabled={done} onChange={(e) => setName(e.target.value)} />
      {models.length > 1 && (
        <Select aria-label="Model to promote" className="w-56" value={model} disabled={done} onChange={(e) => setModel(e.target.value)}>
          <option value="">Best: {models[0]?.label}</option>
          {models.slice(1).map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
        </Select>
      )}
      <Button type="submit" busy={promote.isPending} disabled={done || !name.trim()}>
        {done ? '✓ Promoted' : 'Promote to pipeline'}
      </Button>
      {done && promote.data && (
        <Link to={`/pipelines/${promote.data.id}`} className="text-sm text-teal-800 hover:underline">Open pipeline</Link>
      )}
      {promote.error && <div className="w-full"><ErrorNotice error={promote.error} /></div>}
    </form>
  )
}
