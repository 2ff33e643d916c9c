import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'

import { SetupParamsForm, withoutColumn, withParam, type ParamValues } from '@/components/experiment/SetupParamsForm'
import { setupParams } from '@/test/fixtures'

function Harness({ onValues }: { onValues: (v: ParamValues) => void }) {
  const [values, setValues] = useState<ParamValues>({})
  return (
    <SetupParamsForm
      params={setupParams}
      values={values}
      columns={['age', 'plan']}
      onChange={(v) => {
        setValues(v)
        onValues(v)
      }}
    />
  )
}

describe('SetupParamsForm', () => {
  it('renders every described parameter with its default, grouped', () => {
    render(<Harness onValues={() => {}} />)
    expect(screen.getByRole('group', { name: 'Validation' })).toBeInTheDocument()
    expect(screen.getByLabelText('Zeta folds')).toHaveValue(5)
    expect(screen.getByLabelText('Omega ratio')).toHaveValue(0.7)
    expect(screen.getByLabelText('Kappa scale')).toBeChecked()
    expect(screen.getByLabelText('Impute how')).toHaveValue('mean')
    expect(screen.getByLabelText('Ignore col')).toHaveValue('')
    expect(screen.getByText('Train share')).toBeInTheDocument()
  })

  it('reports only the values the user changed, and drops a value set back to its default', async () => {
    const user = userEvent.setup()
    let last: ParamValues = {}
    render(<Harness onValues={(v) => (last = v)} />)
    await user.click(screen.getByLabelText('Kappa scale'))
    await user.selectOptions(screen.getByLabelText('Impute how'), 'median')
    await user.selectOptions(screen.getByLabelText(/Ignore col/), 'plan')
    expect(last).toEqual({ kappa_scale: false, impute_how: 'median', ignore_col: 'plan' })
    await user.selectOptions(screen.getByLabelText(/Impute how/), 'mean')
    expect(last).toEqual({ kappa_scale: false, ignore_col: 'plan' })
  })

  it('renders a list-valued column parameter as a multi-select', async () => {
    const user = userEvent.setup()
    let last: ParamValues = {}
    render(<Harness onValues={(v) => (last = v)} />)
    await user.selectOptions(screen.getByLabelText('Skip cols'), ['age', 'plan'])
    expect(last).toEqual({ skip_cols: ['age', 'plan'] })
    await user.deselectOptions(screen.getByLabelText(/Skip cols/), ['age', 'plan'])
    expect(last).toEqual({})
  })

  it('flags out-of-range numbers next to the field', async () => {
    const user = userEvent.setup()
    render(<Harness onValues={() => {}} />)
    const folds = screen.getByLabelText('Zeta folds')
    await user.clear(folds)
    await user.type(folds, '40')
    expect(screen.getByText('Must be at most 20.')).toBeInTheDocument()
  })

  it('withoutColumn drops a column (the new target) from every column setting', () => {
    const values: ParamValues = { skip_cols: ['age', 'plan'], ignore_col: 'plan', zeta_folds: 3 }
    expect(withoutColumn(values, setupParams, 'plan')).toEqual({ skip_cols: ['age'], zeta_folds: 3 })
    expect(withoutColumn({ skip_cols: ['plan'] }, setupParams, 'plan')).toEqual({})
    expect(withoutColumn(values, setupParams, 'other')).toEqual(values)
  })

  it('withParam keeps the default out of the payload', () => {
    const p = setupParams[0]!
    expect(withParam({}, p, 5)).toEqual({})
    expect(withParam({}, p, 3)).toEqual({ zeta_folds: 3 })
    expect(withParam({ zeta_folds: 3 }, p, undefined)).toEqual({})
  })
})
