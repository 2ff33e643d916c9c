/** Live updates re-render only the rows that changed (30 models × 10 columns, 500 updates). */
import { act, render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'

import { Leaderboard } from '@/components/Leaderboard'
import { formatNumber } from '@/lib/format'

vi.mock('@/lib/format', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/format')>()
  return { ...real, formatNumber: vi.fn(real.formatNumber) }
})

const columns = ['Model', ...Array.from({ length: 9 }, (_, i) => `Metric ${i}`)]

/** A fresh JSON-parsed table (as each `leaderboard.updated` event delivers), row `bump` changed. */
function table(bump: number, tick: number) {
  const rows = Array.from({ length: 30 }, (_, r) => ({
    model_id: `m${r}`,
    Model: `model ${r}`,
    ...Object.fromEntries(columns.slice(1).map((c, i) => [c, r === bump ? tick + i / 10 + 0.5 : (r + i) / 7])),
  }))
  return JSON.parse(JSON.stringify({ columns, rows })) as { columns: string[]; rows: Array<Record<string, unknown>> }
}

describe('Leaderboard under live updates', () => {
  it('re-renders only changed rows across 500 streamed tables', () => {
    const fmt = vi.mocked(formatNumber)
    const { rerender } = render(<Leaderboard table={table(-1, 0)} />)
    expect(fmt).toHaveBeenCalledTimes(30 * 9)
    fmt.mockClear()
    for (let tick = 1; tick <= 500; tick += 1) {
      act(() => rerender(<Leaderboard table={table(tick % 30, tick)} />))
    }
    // Each update changes one row, and restores the one changed before: 2 rows × 9 cells at most,
    // against 30 × 9 per update without row memoization.
    expect(fmt.mock.calls.length).toBeGreaterThanOrEqual(500 * 9)
    expect(fmt.mock.calls.length).toBeLessThanOrEqual(500 * 2 * 9)
    expect(screen.getAllByRole('row')).toHaveLength(31)
  })
})
