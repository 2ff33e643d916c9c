/** How this page calls a deployment, per its auth mode; an api-key deployment asks for a key. */
import { Field, Input } from '@/components/ui/form'

export function CallerCredentials({ authMode, apiKey, onApiKey }: { authMode: string; apiKey: string; onApiKey: (key: string) => void }) {
  if (authMode === 'api-key') {
    return (
      <Field
        label="API key"
        hint="A key of this workspace (Workspace → API keys), sent as the X-API-Key header. It stays on this page."
        error={apiKey.trim() ? null : 'Enter an API key to call this deployment.'}
        className="max-w-md"
      >
        {(p) => <Input {...p} type="password" autoComplete="off" spellCheck={false} value={apiKey} onChange={(e) => onApiKey(e.target.value)} />}
      </Field>
    )
  }
  return (
    <p className="text-sm text-slate-600" data-testid="caller-auth">
      {authMode === 'public'
        ? 'Public endpoint: this page calls it without any credentials, as any caller would.'
        : 'Workspace endpoint: this page calls it with your member token (Authorization: Bearer).'}
    </p>
  )
}
