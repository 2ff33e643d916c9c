import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import { DataSourcePicker, dataChoiceValue, parseDataChoice } from '@/components/experiment/DataSourcePicker'
import { ModelPicker } from '@/components/experiment/ModelPicker'
import { models, samples, upload } from '@/test/fixtures'

describe('ModelPicker', () => {
  it('disables unavailable models and marks them "(install required)"', () => {
    render(<ModelPicker aria-label="Model" value="" onChange={() => {}} models={models} />)
    const cat = screen.getByRole('option', { name: /CatBoost/ })
    expect(cat).toBeDisabled()
    expect(cat).toHaveTextContent('(install required)')
    expect(screen.getByRole('option', { name: /Logistic Regression/ })).toBeEnabled()
  })
})

describe('DataSourcePicker', () => {
  it('lists uploads first, then samples as sklearn:<name>', () => {
    render(<DataSourcePicker aria-label="Data" value="" onChange={() => {}} uploads={[upload]} samples={samples} />)
    const values = screen.getAllByRole('option').map((o) => (o as HTMLOptionElement).value)
    expect(values).toEqual(['', 'ds1', 'sklearn:iris', 'sklearn:diabetes'])
  })

  it('maps a choice to the right backend field and back', () => {
    expect(parseDataChoice('sklearn:iris')).toEqual({ sklearn_dataset: 'iris' })
    expect(parseDataChoice('ds1')).toEqual({ data_source_id: 'ds1' })
    expect(parseDataChoice('')).toEqual({})
    expect(dataChoiceValue({ sklearn_dataset: 'wine' })).toBe('sklearn:wine')
    expect(dataChoiceValue({ data_source_id: 'ds9' })).toBe('ds9')
  })
})
