/** A data source's profile: notes, findings, the column table, histograms, correlations. */
import { useState } from 'react'

import type { ColumnProfile, Profile } from '@/api/types'
import { Chart } from '@/components/charts/Chart'
import { ProfileFindings } from '@/components/profile/ProfileFindings'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { Table, Td, Th } from '@/components/ui/Table'
import { displayValue, exactNumber, formatCount, formatNumber } from '@/lib/format'

function stat(value: number | string | null | undefined) {
  if (value === null || value === undefined) return <span className="text-slate-400">—</span>
  if (typeof value === 'string') return value.replace('T00:00:00', '')
  return <span title={exactNumber(value)}>{formatNumber(value)}</span>
}

function share(n: number) {
  return `${(n * 100).toFixed(n > 0 && n < 0.001 ? 2 : 1)}%`
}

function topValues(c: ColumnProfile) {
  const top = (c.top ?? []).slice(0, 3)
  if (top.length === 0) return <span className="text-slate-400">—</span>
  return top.map((t) => `${displayValue(t.value)} (${share(t.share)})`).join(', ')
}

export function ColumnTable({ columns }: { columns: ColumnProfile[] }) {
  return (
    <Table
      caption="Columns"
      className="rounded-none border-0"
      head={<><Th>Column</Th><Th>Kind</Th><Th className="text-right">Missing</Th><Th className="text-right">Unique</Th><Th className="text-right">Min</Th><Th className="text-right">Median</Th><Th className="text-right">Max</Th><Th className="text-right">Mean</Th><Th className="text-right">Std</Th><Th>Top values</Th></>}
    >
      {columns.map((c) => (
        <tr key={c.name}>
          <Td className="font-medium">{c.name}{c.role !== 'feature' && <span className="ml-1 text-xs text-slate-500">({c.role})</span>}</Td>
          <Td className="text-slate-600">{c.kind}</Td>
          <Td className="text-right font-mono tabular-nums">{formatCount(c.missing)}{c.missing > 0 && <span className="text-slate-500"> ({share(c.missing_share)})</span>}</Td>
          <Td className="text-right font-mono tabular-nums">{formatCount(c.unique)}</Td>
          <Td className="text-right font-mono tabular-nums">{stat(c.min)}</Td>
          <Td className="text-right font-mono tabular-nums">{stat(c.quantiles?.['50%'])}</Td>
          <Td className="text-right font-mono tabular-nums">{stat(c.max)}</Td>
          <Td className="text-right font-mono tabular-nums">{stat(c.mean)}</Td>
          <Td className="text-right font-mono tabular-nums">{stat(c.std)}</Td>
          <Td className="max-w-64 truncate text-slate-600">{topValues(c)}</Td>
        </tr>
      ))}
    </Table>
  )
}

/** Charts drawn at first on a wide table; the rest on request (each chart is an SVG). */
export const FIRST_CHARTS = 12

export function ProfileView({ profile }: { profile: Profile }) {
  const [all, setAll] = useState(false)
  const withHistogram = profile.columns.filter((c) => c.histogram)
  const withAgainst = profile.columns.filter((c) => c.vs_target)
  const histograms = all ? withHistogram : withHistogram.slice(0, FIRST_CHARTS)
  const against = all ? withAgainst : withAgainst.slice(0, FIRST_CHARTS)
  const hidden = withHistogram.length - histograms.length + withAgainst.length - against.length
  return (
    <div className="grid gap-6">
      <Card title="Findings" id="findings">
        <ProfileFindings findings={profile.findings ?? []} />
        <ul className="mt-3 space-y-0.5 text-xs text-slate-500">
          {(profile.notes ?? []).map((n) => <li key={n}>{n}</li>)}
        </ul>
      </Card>
      <Card title="Columns" id="columns" bodyClassName="p-0 overflow-x-auto">
        <ColumnTable columns={profile.columns} />
      </Card>
      <Card title="Histograms" id="histograms">
        <div className="grid gap-6 md:grid-cols-2 2xl:grid-cols-3">
          {histograms.map((c) => c.histogram && <Chart key={c.name} plot={c.histogram} />)}
        </div>
        {hidden > 0 && (
          <Button variant="secondary" size="sm" className="mt-4" onClick={() => setAll(true)}>
            Show all {formatCount(withHistogram.length)} histograms{withAgainst.length > against.length ? ' and target plots' : ''}
          </Button>
        )}
      </Card>
      {(profile.correlations ?? []).length > 0 && (
        <Card title="Correlations" id="correlations">
          <div className="grid gap-6 xl:grid-cols-2">
            {(profile.correlations ?? []).map((p) => <Chart key={p.id} plot={p} />)}
          </div>
        </Card>
      )}
      {profile.target && (
        <Card title={`Target “${profile.target.name}”`} id="target">
          <p className="mb-3 text-sm text-slate-600">Task setup would infer: {profile.target.task ?? 'none (this column cannot be a target)'}</p>
          <div className="grid gap-6 md:grid-cols-2 2xl:grid-cols-3">
            {profile.target.distribution && <Chart plot={profile.target.distribution} />}
            {against.map((c) => c.vs_target && <Chart key={c.name} plot={c.vs_target} />)}
          </div>
        </Card>
      )}
    </div>
  )
}
