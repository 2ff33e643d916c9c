/**
 * The run page's leaderboard with the improvement loop: tick rows → Blend / Stack; a row's menu
 * → Tune / Ensemble. Each opens the plan's options (ImproveForm), which queues the new run with
 * this run as `source_run_id` and opens it. Offered once the run ended with models (succeeded,
 * or cancelled with the rows it kept), on rows that have a model id and no error, and only the
 * plans the run's task offers (`GET /describe/plans?task=`: clustering has none of them).
 */
import { useQuery } from '@tanstack/react-query'
import { useCallback, useMemo, useState } from 'react'

import { buildPlansQuery } from '@/api/queries/describe'
import type { LeaderboardTable, Run, TaskId } from '@/api/types'
import { Leaderboard, rowModelId, tableColumns, type RowSelection } from '@/components/Leaderboard'
import { autoLeavesHoldoutOut, holdoutWhy } from '@/components/run/holdout'
import { ImproveForm, type ImproveDraft } from '@/components/run/ImproveForm'
import { Button } from '@/components/ui/Button'

type Row = Record<string, unknown>

/** True when this run's models can be improved (a finished run with a leaderboard). */
export function improvable(run: Run): boolean {
  return (run.status === 'succeeded' || run.status === 'cancelled') && run.plan !== 'setup'
}

const usable = (row: Row) => rowModelId(row) !== null && !row.Error && row.Fold === undefined

/** The task a finished run scored (its result says so). */
const runTask = (run: Run): TaskId | '' => {
  const task = (run.result as { task?: unknown } | null | undefined)?.task
  return typeof task === 'string' ? task : ''
}

function RowMenu({ row, plans, onPick }: { row: Row; plans: string[]; onPick: (plan: string, modelId: string) => void }) {
  const [open, setOpen] = useState(false)
  const id = rowModelId(row)
  if (!id || !usable(row) || !plans.length) return null
  const name = typeof row.Model === 'string' ? row.Model : id
  const pick = (plan: string) => {
    setOpen(false)
    onPick(plan, id)
  }
  return (
    <div className="relative inline-block text-left">
      <Button type="button" variant="ghost" size="sm" aria-label={`Improve ${name}`} aria-haspopup="menu" aria-expanded={open}
        onClick={() => setOpen((o) => !o)}>⋯</Button>
      {open && (
        <div role="menu" aria-label={`Improve ${name}`} className="absolute right-0 z-10 mt-1 w-36 rounded-md border border-slate-200 bg-white py-1 shadow-md">
          {plans.map((plan) => (
            <button key={plan} type="button" role="menuitem" className="block w-full px-3 py-1.5 text-left text-sm hover:bg-slate-100"
              onClick={() => pick(plan)}>
              {plan === 'tune' ? 'Tune' : 'Ensemble'}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}

interface Props {
  run: Run
  table: LeaderboardTable | null
  /** Where a row leads (its model's page), as for the plain leaderboard. */
  rowHref?: (row: Row) => string | undefined
}

export function ImproveLeaderboard({ run, table, rowHref }: Props) {
  const task = runTask(run)
  const taskPlans = useQuery({ ...buildPlansQuery(task), enabled: !!task })
  // until the task's plans are known, every improving plan (the server refuses what it lacks)
  const offers = useCallback((plan: string) => !taskPlans.data || taskPlans.data.some((p) => p.id === plan), [taskPlans.data])
  const menuPlans = useMemo(() => ['tune', 'ensemble'].filter(offers), [offers])
  const barPlans = ['blend', 'stack'].filter(offers)
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [draft, setDraft] = useState<ImproveDraft | null>(null)
  const toggle = useCallback((id: string) => setSelected((s) => {
    const next = new Set(s)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    return next
  }), [])
  const selection = useMemo<RowSelection>(() => ({ selected, onToggle: toggle, can: usable }), [selected, toggle])
  const pick = useCallback((plan: string, modelId: string) => setDraft({ plan, models: [modelId] }), [])
  const rowMenu = useCallback((row: Row) => <RowMenu row={row} plans={menuPlans} onPick={pick} />, [pick, menuPlans])
  const whyEmpty = useMemo(() => holdoutWhy({ plan: run.plan, best: run.best }), [run.plan, run.best])
  const note = autoLeavesHoldoutOut(run, table?.rows ?? [], tableColumns(table)) && (
    <p className="mt-2 text-xs text-slate-500" data-testid="holdout-note">
      Holdout: scored only for the model Auto returns and, for an ensemble, its members (hover a “—” for why).
    </p>
  )
  if (!improvable(run) || !table?.rows.length || (!menuPlans.length && !barPlans.length)) {
    // a run that ended with no rows will get none: say so rather than "rows appear here"
    const empty = run.status === 'failed' || run.status === 'cancelled' ? `The run ${run.status} before any model finished.` : undefined
    return <><Leaderboard table={table} rowHref={rowHref} whyEmpty={whyEmpty} empty={empty} />{note}</>
  }

  // in leaderboard order, whatever order they were ticked in
  const chosen = table.rows.map(rowModelId).filter((id): id is string => !!id && selected.has(id))
  return (
    <>
      <div className="mb-3 flex flex-wrap items-center gap-2" role="toolbar" aria-label="Improve models">
        <span className="text-xs text-slate-600" data-testid="selected-count">
          {chosen.length ? `${chosen.length} selected` : 'Tick two or more models to blend or stack them.'}
        </span>
        {barPlans.map((plan) => (
          <Button key={plan} type="button" size="sm" variant="secondary" disabled={chosen.length < 2}
            onClick={() => setDraft({ plan, models: chosen })}>
            {plan === 'blend' ? 'Blend' : 'Stack'}
          </Button>
        ))}
      </div>
      {draft && <ImproveForm key={`${draft.plan}:${draft.models.join(',')}`} run={run} draft={draft} onClose={() => setDraft(null)} />}
      <Leaderboard table={table} rowHref={rowHref} selection={selection} rowMenu={rowMenu} whyEmpty={whyEmpty} />
      {note}
    </>
  )
}
