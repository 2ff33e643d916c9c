import { describe, expect, it } from 'vitest'

import { inferTask } from '@/lib/inferTask'

describe('inferTask', () => {
  it('reads numbers with many distinct values as regression', () => {
    expect(inferTask({ name: 'price', dtype: 'float64', kind: 'numeric', unique: 812 })?.task).toBe('regression')
    expect(inferTask({ name: 'age', dtype: 'int64', kind: 'numeric', unique: 60 })).toEqual({
      task: 'regression',
      reason: '“age” is numeric with 60 distinct values',
    })
  })

  it('reads few distinct numbers as classes, two of them as binary', () => {
    expect(inferTask({ name: 'grade', dtype: 'int64', kind: 'numeric', unique: 5 })?.task).toBe('multiclass')
    expect(inferTask({ name: 'label', dtype: 'int64', kind: 'numeric', unique: 2 })?.task).toBe('binary')
    expect(inferTask({ name: 'grade', dtype: 'int64', kind: 'numeric', unique: 20 })?.task).toBe('multiclass')
    expect(inferTask({ name: 'grade', dtype: 'int64', kind: 'numeric', unique: 21 })?.task).toBe('regression')
  })

  it('reads booleans and two-valued text as binary, other text as multiclass', () => {
    expect(inferTask({ name: 'churned', dtype: 'bool', kind: 'boolean', unique: 2 })?.task).toBe('binary')
    expect(inferTask({ name: 'churn', dtype: 'object', kind: 'categorical', unique: 2 })?.task).toBe('binary')
    expect(inferTask({ name: 'species', dtype: 'object', kind: 'categorical', unique: 3 })).toEqual({
      task: 'multiclass',
      reason: '“species” has 3 distinct values',
    })
  })

  it('falls back on the dtype when the kind is missing, and gives up on a constant column', () => {
    expect(inferTask({ name: 'y', dtype: 'float32', unique: 300 })?.task).toBe('regression')
    expect(inferTask({ name: 'y', dtype: 'float64', unique: null })?.task).toBe('regression')
    expect(inferTask({ name: 'c', dtype: 'int64', kind: 'constant', unique: 1 })).toBeNull()
  })
})
