/** Deploy a pipeline behind a prediction endpoint: a slug (validated as typed) and an auth mode. */
import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router-dom'

import { useDeployPipeline } from '@/api/queries/pipelines'
import type { AuthMode } from '@/api/types'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'
import { slugify, slugProblem } from '@/lib/slug'

export const AUTH_MODES: Array<{ id: AuthMode; label: string; hint: string }> = [
  { id: 'workspace', label: 'Workspace members', hint: 'Callers sign in as members of this workspace.' },
  { id: 'api-key', label: 'API key', hint: 'Callers send a workspace API key.' },
  { id: 'public', label: 'Public', hint: 'Anyone who can reach the server may predict.' },
]

export function DeployForm({ pipelineId, defaultName, disabled }: { pipelineId: string; defaultName: string; disabled?: boolean }) {
  const deploy = useDeployPipeline(pipelineId)
  const navigate = useNavigate()
  const [slug, setSlug] = useState(slugify(defaultName))
  const [touched, setTouched] = useState(false)
  const [mode, setMode] = useState<AuthMode>('workspace')
  const problem = slugProblem(slug)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setTouched(true)
    if (problem) return
    deploy.mutate({ slug, auth_mode: mode }, { onSuccess: (d) => navigate(`/deployments/${d.id}`) })
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Deploy pipeline">
      <Field label="Endpoint slug" hint="Lowercase letters, digits and dashes; part of the prediction URL." error={touched || slug ? problem : null}>
        {(p) => <Input {...p} required value={slug} onBlur={() => setTouched(true)} onChange={(e) => setSlug(e.target.value)} />}
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-xs font-medium text-slate-700">Who may call it</legend>
        {AUTH_MODES.map((m) => (
          <label key={m.id} className="flex cursor-pointer items-start gap-2 text-sm">
            <input type="radio" name="auth_mode" value={m.id} checked={mode === m.id} onChange={() => setMode(m.id)} className="mt-1" />
            <span><span className="font-medium">{m.label}</span><span className="block text-xs text-slate-500">{m.hint}</span></span>
          </label>
        ))}
      </fieldset>
      {slug && !problem && <p className="font-mono text-xs text-slate-500">POST /api/v1/deployments/{slug}/predict</p>}
      <ErrorNotice error={deploy.error} />
      <Button type="submit" busy={deploy.isPending} disabled={disabled || !!problem}>Deploy</Button>
    </form>
  )
}
