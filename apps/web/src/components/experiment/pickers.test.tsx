import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import { DataSourcePicker, dataChoiceValue, parseDataChoice, sampleUnusable, uploadUnusable } from '@/components/experiment/DataSourcePicker'
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

  it('disables, with the reason, the sources an experiment cannot use', () => {
    const iris = samples[0]!
    const credit = { ...iris, id: 'credit', name: 'Credit', task: 'binary', target: 'churned' }
    render(
      <DataSourcePicker aria-label="Data" value="" onChange={() => {}} uploads={[upload, { ...upload, id: 'ds2', name: 'flowers', columns: [] }]}
        samples={[...samples, credit]} usableFor={{ task: 'binary', target: 'churned' }} />,
    )
    expect(screen.getByRole('option', { name: /customers/ })).toBeEnabled()
    const flowers = screen.getByRole('option', { name: /flowers/ })
    expect(flowers).toBeDisabled()
    expect(flowers).toHaveTextContent("unusable: no column 'churned'")
    const irisOption = screen.getByRole('option', { name: /sklearn:iris/ })
    expect(irisOption).toBeDisabled()
    expect(irisOption).toHaveTextContent("its target is 'target', not 'churned'")
    expect(screen.getByRole('option', { name: /sklearn:credit/ })).toBeEnabled()
    expect(sampleUnusable({ ...credit, task: 'multiclass' }, 'binary', 'churned')).toBe('a multiclass table, not binary')
  })

  it('lets an experiment without a target (clustering) use any table', () => {
    expect(sampleUnusable(samples[0]!, 'clustering', '')).toBeNull()
    expect(uploadUnusable({ ...upload, columns: [] }, '')).toBeNull()
  })

  it('maps a choice to the right backend field and back', () => {
    expect(parseDataChoice('sklearn:iris')).toEqual({ sklearn_dataset: 'iris' })
    expect(parseDataChoice('ds1')).toEqual({ data_source_id: 'ds1' })
    expect(parseDataChoice('')).toEqual({})
    expect(dataChoiceValue({ sklearn_dataset: 'wine' })).toBe('sklearn:wine')
    expect(dataChoiceValue({ data_source_id: 'ds9' })).toBe('ds9')
  })
})
