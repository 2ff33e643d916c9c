import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import { Leaderboard, compareCells } from '@/components/Leaderboard'

const table = {
  columns: ['Model', 'Accuracy', 'AUC', 'TT (Sec)'],
  rows: [
    { model_id: 'lr', Model: 'Logistic Regression', Accuracy: 0.95, AUC: 0.99123, 'TT (Sec)': 1 },
    { model_id: 'rf', Model: 'Random Forest', Accuracy: 0.97, AUC: 0.00001234, 'TT (Sec)': 3 },
    { model_id: 'dt', Model: 'Decision Tree', Accuracy: 0.9, AUC: null, 'TT (Sec)': 0.5 },
  ],
}

function columnValues(index: number): string[] {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[index]?.textContent ?? '')
}

describe('Leaderboard', () => {
  it('shows the empty-state hint when there are no rows', () => {
    const { rerender } = render(<Leaderboard table={null} />)
    expect(screen.getByText('No leaderboard yet')).toBeInTheDocument()
    rerender(<Leaderboard table={{ columns: ['Model'], rows: [] }} />)
    expect(screen.getByText('No leaderboard yet')).toBeInTheDocument()
    expect(screen.queryByRole('table')).not.toBeInTheDocument()
  })

  it('keeps the engine-declared column order, and first-row order when none is declared', () => {
    const { rerender } = render(<Leaderboard table={table} />)
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Model', 'Accuracy', 'AUC', 'TT (Sec)'])
    rerender(<Leaderboard table={{ columns: [], rows: [{ Fold: 0, R2: 0.5, MAE: 1.25 }] }} />)
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Fold', 'R2', 'MAE'])
  })

  it('formats numbers for reading (4 significant digits, tiny values exponential), exact value in the tooltip', () => {
    render(<Leaderboard table={table} />)
    expect(columnValues(1)).toEqual(['0.9500', '0.9700', '0.9000'])
    expect(columnValues(2)).toEqual(['0.9912', '1.234e-5', '—'])
    expect(columnValues(3)).toEqual(['1', '3', '0.5000'])
    const cell = screen.getByText('0.9500')
    expect(cell).toHaveClass('font-mono', 'tabular-nums', 'text-right')
    expect(screen.getByText('1.234e-5')).toHaveAttribute('title', '0.00001234')
  })

  it('prints a large regression error grouped, with every digit in the tooltip', () => {
    render(<Leaderboard table={{ columns: ['Model', 'MSE'], rows: [{ Model: 'Ridge', MSE: 655651563.4694 }] }} />)
    expect(screen.getByText('655,651,563')).toHaveAttribute('title', '655651563.4694')
  })

  it('sorts numerically desc on first click, asc on the second, and strings with localeCompare', async () => {
    const user = userEvent.setup()
    render(<Leaderboard table={table} />)
    const acc = screen.getByRole('button', { name: /Accuracy/ })
    await user.click(acc)
    expect(columnValues(1)).toEqual(['0.9700', '0.9500', '0.9000'])
    expect(acc.closest('th')).toHaveAttribute('aria-sort', 'descending')
    await user.click(acc)
    expect(columnValues(1)).toEqual(['0.9000', '0.9500', '0.9700'])
    expect(acc.closest('th')).toHaveAttribute('aria-sort', 'ascending')
    await user.click(screen.getByRole('button', { name: /Model/ }))
    expect(columnValues(0)).toEqual(['Random Forest', 'Logistic Regression', 'Decision Tree'])
  })

  it('keeps empty cells last whichever the direction', () => {
    expect(compareCells(null, 1, 'desc')).toBe(1)
    expect(compareCells(null, 1, 'asc')).toBe(1)
    expect(compareCells(2, 10, 'asc')).toBeLessThan(0)
    expect(compareCells('b', 'a', 'asc')).toBeGreaterThan(0)
  })

  it('renders 30 models × 10 columns', () => {
    const columns = ['Model', ...Array.from({ length: 9 }, (_, i) => `M${i}`)]
    const rows = Array.from({ length: 30 }, (_, r) =>
      Object.fromEntries([['model_id', `m${r}`], ['Model', `model ${r}`], ...columns.slice(1).map((c, i) => [c, (r * 7 + i) / 97])]),
    )
    render(<Leaderboard table={{ columns, rows }} />)
    expect(screen.getAllByRole('row')).toHaveLength(31)
  })

  it('marks a raced-out row (partial) muted with the folds it ran', () => {
    const raced = {
      columns: ['Model', 'Accuracy', 'TT (Sec)'],
      rows: [
        { model_id: 'rf', Model: 'Random Forest', Accuracy: 0.97, 'TT (Sec)': 3 },
        { model_id: 'dummy', Model: 'Dummy', Accuracy: 0.6, 'TT (Sec)': 0.1, partial: true, folds_done: 2 },
      ],
    }
    render(<Leaderboard table={raced} />)
    const [, full, partial] = screen.getAllByRole('row')
    expect(full).not.toHaveAttribute('data-partial')
    expect(within(full!).queryByTestId('partial-badge')).not.toBeInTheDocument()
    expect(partial).toHaveAttribute('data-partial', 'true')
    expect(partial).toHaveClass('text-slate-500')
    expect(within(partial!).getByTestId('partial-badge')).toHaveTextContent('stopped · 2 folds')
  })

  it('says on how many rows a halved-out row ran its folds', () => {
    const halved = {
      columns: ['Model', 'Accuracy', 'TT (Sec)'],
      rows: [
        { model_id: 'rf', Model: 'Random Forest', Accuracy: 0.97, 'TT (Sec)': 3 },
        { model_id: 'lr', Model: 'Logistic Regression', Accuracy: 0.75, 'TT (Sec)': 0.1, partial: true, folds_done: 5, fit_rows: 14000 },
      ],
    }
    render(<Leaderboard table={halved} />)
    const [, , partial] = screen.getAllByRole('row')
    expect(partial).toHaveAttribute('data-partial', 'true')
    expect(within(partial!).getByTestId('partial-badge')).toHaveTextContent('stopped · 5 folds on 14,000 rows')
  })
})
