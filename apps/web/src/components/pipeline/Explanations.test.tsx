import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import type { Explanation } from '@/api/types'
import { Explanations, outputLabel } from '@/components/pipeline/Explanations'

const EXPLANATION: Explanation = {
  base_value: 0.33,
  output: 'probability',
  label: 'setosa',
  contributions: [
    { column: 'petal_length', value: 1.4, contribution: 0.4 },
    { column: 'sepal_width', value: 3.5, contribution: -0.1 },
    { column: 'color', value: null, contribution: 0.05 },
  ],
  rest: 0.02,
}

describe('Explanations', () => {
  it('lists each column with its value and a signed bar sized by its share, largest first', () => {
    render(<Explanations explanations={[EXPLANATION]} />)
    const row = screen.getByRole('region', { name: 'Explanation of row 1' })
    expect(row).toHaveTextContent('Row 1: base value 0.3300 → 0.7000 (probability of setosa)')
    const items = within(row).getAllByTestId('contribution')
    expect(items.map((li) => li.textContent)).toEqual([
      'petal_length = 1.400+0.4000',
      'sepal_width = 3.500−0.1000',
      'color = missing+0.05',
    ])
    const bars = within(row).getAllByTestId('contribution-bar')
    expect(bars.map((b) => b.style.width)).toEqual(['50%', '12.5%', '6.25%'])
    expect(bars[0]).toHaveClass('left-1/2') // up: right of the axis
    expect(bars[1]).toHaveClass('right-1/2') // down: left of it
    expect(row).toHaveTextContent('Other columns together: +0.02')
  })

  it('says what the values are measured in', () => {
    expect(outputLabel({ ...EXPLANATION, output: 'log-odds', label: 'yes' })).toBe('log-odds of yes')
    expect(outputLabel({ ...EXPLANATION, output: 'value', label: null })).toBe('predicted value')
  })
})
