/** A small profile of the `upload` fixture (ds1), as the server sends it. */
import type { PlotRead, Profile } from '@/api/types'

const histogram = (name: string): PlotRead => ({
  id: `histogram:${name}`,
  title: name,
  kind: 'xy',
  x: { label: name, scale: 'linear' },
  y: { label: 'rows', scale: 'linear' },
  series: [{ name: 'rows', mark: 'rect', x: [18, 40, 62], x2: [40, 62, 84], y: [500, 600, 100], dashed: false }],
  notes: ['1,200 rows'],
})

export const churnDistribution: PlotRead = {
  id: 'target_distribution',
  title: 'churned: rows per class',
  kind: 'xy',
  x: { label: 'churned', scale: 'band' },
  y: { label: 'rows', scale: 'linear' },
  series: [{ name: 'rows', mark: 'bar', x: ['False', 'True'], y: [1000, 200], dashed: false }],
  notes: ['1,200 rows'],
}

export const profile: Profile = {
  data_source_id: 'ds1',
  computed_at: '2026-12-07T01:00:00Z',
  rows: 1200,
  sample_rows: 1200,
  seconds: 0.2,
  columns: [
    {
      name: 'age', dtype: 'int64', kind: 'numeric', role: 'feature', missing: 0, missing_share: 0, unique: 60,
      min: 18, max: 84, mean: 41.25, std: 12.5, quantiles: { '5%': 21, '25%': 30, '50%': 40.5, '75%': 52, '95%': 70 },
      top: [{ value: 35, count: 40, share: 0.0333 }], histogram: histogram('age'), vs_target: null,
    },
    {
      name: 'plan', dtype: 'object', kind: 'categorical', role: 'feature', missing: 2, missing_share: 0.0017, unique: 3,
      min: null, max: null, mean: null, std: null, quantiles: null,
      top: [{ value: 'pro', count: 700, share: 0.5833 }, { value: 'basic', count: 400, share: 0.3333 }],
      histogram: {
        id: 'histogram:plan', title: 'plan', kind: 'xy', x: { label: 'rows', scale: 'linear' }, y: { label: 'plan', scale: 'band' },
        series: [{ name: 'rows', mark: 'barh', x: [700, 400, 98], y: ['pro', 'basic', 'team'], dashed: false }], notes: [],
      },
      vs_target: null,
    },
  ],
  correlations: [
    {
      id: 'correlation_pearson', title: 'Pearson correlation', kind: 'heatmap',
      x: { label: '', scale: 'band' }, y: { label: '', scale: 'band' }, series: [],
      heatmap: { rows: ['age', 'fee'], cols: ['age', 'fee'], values: [[1, 0.42], [0.42, 1]] }, notes: [],
    },
  ],
  target: null,
  findings: [{ level: 'info', code: 'id_column', message: "column 'customer_id' looks like an ID (every value distinct): dropped", column: 'customer_id' }],
  notes: ['every statistic and plot uses all 1,200 rows'],
}

export const churnProfile: Profile = {
  ...profile,
  target: { name: 'churned', task: 'binary', distribution: churnDistribution },
  findings: [
    ...profile.findings!,
    { level: 'warning', code: 'class_imbalance', message: 'classes are imbalanced (smallest True: 200 rows, largest False: 1000)', column: 'churned' },
  ],
}
