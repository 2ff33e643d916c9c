import { describe, expect, it } from 'vitest'

import { exampleRows } from '@/components/pipeline/PredictTester'

describe('exampleRows', () => {
  const schema = [
    { name: 'area', kind: 'numeric', holds: 'numbers' },
    { name: 'Central_Air', kind: 'boolean', holds: 'text', boolean_values: { true: 'Y', false: 'N' } },
    { name: 'city', kind: 'categorical', holds: 'text' },
  ]

  it('starts from the first example row of the training data, as it was written', () => {
    const examples = [
      { area: 1200, Central_Air: 'Y', city: 'oslo' },
      { area: 950, Central_Air: 'N', city: 'lima' },
    ]
    expect(JSON.parse(exampleRows(schema, examples))).toEqual([{ area: 1200, Central_Air: 'Y', city: 'oslo' }])
  })

  it('without examples, builds a row the server accepts: numbers, booleans, null for missing', () => {
    expect(JSON.parse(exampleRows(schema))).toEqual([{ area: 0, Central_Air: true, city: null }])
    expect(JSON.parse(exampleRows([{ name: 'flag', kind: 'boolean' }], []))).toEqual([{ flag: null }])
  })
})
