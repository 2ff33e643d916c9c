import { describe, expect, it } from 'vitest'

import type { PredictResult } from '@/api/types'
import { exampleRows, predictionRows } from '@/components/pipeline/PredictTester'

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

describe('predictionRows', () => {
  const base = { latency_ms: 1, request_id: 'r' }

  it('shows a label with its class probabilities', () => {
    const result = { ...base, predictions: ['a'], probabilities: [{ a: 0.9, b: 0.1 }] } as PredictResult
    expect(predictionRows(result)).toEqual([{ row: 1, prediction: 'a', 'P(a)': 0.9, 'P(b)': 0.1 }])
  })

  it('spreads a clustering or anomaly answer into its own columns', () => {
    const clusters = { ...base, predictions: [{ cluster: 2 }], probabilities: null } as PredictResult
    expect(predictionRows(clusters)).toEqual([{ row: 1, cluster: 2 }])
    const anomalies = { ...base, predictions: [{ score: 0.7, anomaly: true }] } as PredictResult
    expect(predictionRows(anomalies)).toEqual([{ row: 1, score: 0.7, anomaly: true }])
  })
})
