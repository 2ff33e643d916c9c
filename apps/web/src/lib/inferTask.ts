/**
 * The task a target column implies, from the schema the server inferred when the data was
 * uploaded (no data-source route answers this). Mirrors the engine's `infer_task` as far as
 * the schema allows: booleans and two-valued columns are binary; numbers with many distinct
 * values are regression; other columns are multiclass. The user can always override it.
 */
export type InferredTask = 'binary' | 'multiclass' | 'regression'

/** What the rule reads of a column (the server's `ColumnInfo`). */
export interface ColumnFacts {
  name: string
  dtype?: string
  kind?: string
  unique?: number | null
}

/** More distinct numbers than this is regression (the engine's `_REGRESSION_MIN_UNIQUE`). */
export const REGRESSION_MIN_UNIQUE = 20
const NUMERIC_DTYPE = /^(u?int|float)\d*$/i

export interface TaskGuess {
  task: InferredTask
  reason: string
}

/** The guessed task and why, or null when the column cannot be a target (one value). */
export function inferTask(column: ColumnFacts): TaskGuess | null {
  const unique = column.unique ?? null
  const distinct = unique === null ? 'an unknown number of' : String(unique)
  if (column.kind === 'constant' || unique === 1 || unique === 0) return null
  if (column.kind === 'boolean' || /^bool/i.test(column.dtype ?? '')) {
    return { task: 'binary', reason: `“${column.name}” is true/false` }
  }
  const numeric = column.kind === 'numeric' || NUMERIC_DTYPE.test(column.dtype ?? '')
  if (numeric && (unique === null || unique > REGRESSION_MIN_UNIQUE)) {
    return { task: 'regression', reason: `“${column.name}” is numeric with ${distinct} distinct values` }
  }
  const what = numeric ? 'numeric with only' : 'has'
  if (unique === 2) return { task: 'binary', reason: `“${column.name}” ${what} 2 distinct values` }
  return { task: 'multiclass', reason: `“${column.name}” ${what} ${distinct} distinct values` }
}
