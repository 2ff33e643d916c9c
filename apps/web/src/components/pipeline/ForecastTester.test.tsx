import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import type { ForecastPoint, InputColumn } from '@/api/types'
import { ForecastTester, forecastPlot, futureHint, widestLevel } from '@/components/pipeline/ForecastTester'
import { deployment } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const POINTS: ForecastPoint[] = [
  { time: '2024-01-01T00:00:00', value: 10, lo: { '80': 9, '95': 8 }, hi: { '80': 11, '95': 12 } },
  { time: '2024-02-01T00:00:00', value: 11, lo: { '80': 10, '95': 9 }, hi: { '80': 12, '95': 13 } },
]

describe('forecastPlot', () => {
  it('draws one line per series on a time axis with the widest interval as its band', () => {
    expect(widestLevel(POINTS)).toBe('95')
    const plot = forecastPlot(POINTS)
    expect(plot.x.scale).toBe('time')
    expect(plot.series).toHaveLength(1)
    expect(plot.series?.[0]).toMatchObject({ name: 'forecast', y: [10, 11], y_low: [8, 9], y_high: [12, 13] })
    expect(plot.notes).toEqual(['band: 95 % prediction interval'])
  })

  it('keeps a series apart and draws no band when the model gives no interval', () => {
    const bare = POINTS.map((p, i) => ({ ...p, series: i ? 'b' : 'a', lo: { '95': null }, hi: { '95': null } }))
    expect(widestLevel(bare)).toBeNull()
    const plot = forecastPlot(bare)
    expect(plot.series?.map((s) => s.name)).toEqual(['a', 'b'])
    expect(plot.series?.[0]).not.toHaveProperty('y_low')
  })
})

describe('ForecastTester', () => {
  it('posts h and shows the forecast table', async () => {
    mockApi({
      [`POST /api/v1/deployments/${deployment.slug}/forecast`]: { forecast: POINTS, latency_ms: 3.2, request_id: 'r1' },
      [`GET /api/v1/deployments/${deployment.id}`]: deployment,
    })
    renderRoute(<ForecastTester deployment={deployment} auth={{ mode: 'workspace' }} horizon={6} />)
    const user = userEvent.setup()
    const h = screen.getByLabelText('Steps ahead (h)')
    await user.clear(h)
    await user.type(h, '2')
    await user.click(screen.getByRole('button', { name: 'Forecast' }))
    const table = await screen.findByRole('table')
    expect(within(table).getByText('95 % interval')).toBeInTheDocument()
    expect(within(table).getByText('8.000 – 12.000')).toBeInTheDocument()
    await waitFor(() => expect(requestsTo(`/api/v1/deployments/${deployment.slug}/forecast`)).toHaveLength(1))
    expect(requestsTo(`/api/v1/deployments/${deployment.slug}/forecast`)[0]?.body).toEqual({ h: 2 })
    expect(screen.queryByLabelText('Future exogenous values (JSON)')).not.toBeInTheDocument()
  })
})

// the input schema of a pipeline whose model reads `price` (and of one with a series column)
const FUTURE: InputColumn[] = [
  { name: 'month', kind: 'datetime' },
  { name: 'price', kind: 'numeric' },
]
const URL = `/api/v1/deployments/${deployment.slug}/forecast`

describe('ForecastTester with exogenous columns', () => {
  it('says which columns each future row holds', () => {
    expect(futureHint(FUTURE)).toBe('The model reads price: give one row per future step, with the columns month, price.')
    const stores = [FUTURE[0]!, { name: 'store', kind: 'categorical' }, FUTURE[1]!]
    expect(futureHint(stores)).toBe('The model reads price: give one row per future step and series, with the columns month, store, price.')
  })

  it('posts the future values typed with h', async () => {
    mockApi({ [`POST ${URL}`]: { forecast: POINTS, latency_ms: 3.2, request_id: 'r1' } })
    renderRoute(<ForecastTester deployment={deployment} auth={{ mode: 'workspace' }} horizon={2} future={FUTURE} />)
    const user = userEvent.setup()
    const rows = screen.getByLabelText('Future exogenous values (JSON)')
    expect(JSON.parse((rows as HTMLTextAreaElement).value)).toEqual([{ month: null, price: 0 }])
    const future = [{ month: '2024-01-01', price: 2 }, { month: '2024-02-01', price: 2.5 }]
    await user.clear(rows)
    await user.click(rows)
    await user.paste(JSON.stringify(future))
    await user.click(screen.getByRole('button', { name: 'Forecast' }))
    await screen.findByRole('table')
    expect(requestsTo(URL)[0]?.body).toEqual({ h: 2, exogenous: future })
  })

  it('refuses rows that are not JSON before sending, and shows the server\'s 4xx', async () => {
    const detail = 'exogenous values have no row for 2024-02-01: give one row per future step, 2024-01-01 to 2024-02-01 (2 rows)'
    mockApi({ [`POST ${URL}`]: reply(422, { detail }) })
    renderRoute(<ForecastTester deployment={deployment} auth={{ mode: 'workspace' }} horizon={2} future={FUTURE} />)
    const user = userEvent.setup()
    const rows = screen.getByLabelText('Future exogenous values (JSON)')
    await user.clear(rows)
    await user.click(rows)
    await user.paste('[{"month": "2024-01-01", "price": 2')
    await user.click(screen.getByRole('button', { name: 'Forecast' }))
    expect(await screen.findByText(/Not valid JSON/)).toBeInTheDocument()
    expect(requestsTo(URL)).toHaveLength(0)
    await user.clear(rows)
    await user.paste('[{"month": "2024-01-01", "price": 2}]')
    await user.click(screen.getByRole('button', { name: 'Forecast' }))
    expect(await screen.findByText(detail)).toBeInTheDocument()
    expect(screen.queryByText(/Not valid JSON/)).not.toBeInTheDocument()
  })
})
