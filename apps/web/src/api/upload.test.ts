import { describe, expect, it, vi } from 'vitest'

import { dataSourcesApi } from '@/api/endpoints'
import { dispositionFilename } from '@/api/upload'
import { useAuthStore } from '@/stores/auth'
import { FakeXhr } from '@/test/FakeXhr'
import { mockApi } from '@/test/server'

describe('uploadCsv', () => {
  it('sends the multipart form with progress, refreshing once on 401', async () => {
    FakeXhr.install()
    useAuthStore.getState().setTokens({ access_token: 'old', refresh_token: 'r1' })
    mockApi({ 'POST /api/v1/auth/refresh': { access_token: 'new', refresh_token: 'r2', token_type: 'bearer', expires_in: 900 } })
    const progress = vi.fn()
    const file = new File(['a,b\n1,2\n'], 'tiny.csv', { type: 'text/csv' })
    const done = dataSourcesApi.uploadCsv('ws1', file, 'tiny', 'two columns', progress)

    const first = FakeXhr.instances[0]!
    expect(first.headers.Authorization).toBe('Bearer old')
    expect(first.body?.get('description')).toBe('two columns')
    first._progress(8, 8)
    expect(progress).toHaveBeenCalledWith({ loaded: 8, total: 8, percent: 100 })
    first._respond(401, { detail: 'expired' })
    await vi.waitFor(() => expect(FakeXhr.instances).toHaveLength(2))
    const second = FakeXhr.instances[1]!
    expect(second.headers.Authorization).toBe('Bearer new')
    second._respond(201, { id: 'ds1', name: 'tiny' })
    await expect(done).resolves.toMatchObject({ id: 'ds1' })
  })

  it('rejects with the server’s detail', async () => {
    FakeXhr.install()
    const done = dataSourcesApi.uploadCsv('ws1', new File(['x'], 'x.csv'), 'x')
    FakeXhr.instances[0]!._respond(400, { detail: 'The file has no header row.' })
    await expect(done).rejects.toThrow('The file has no header row.')
  })
})

describe('dispositionFilename', () => {
  it('reads the file name of a Content-Disposition header', () => {
    expect(dispositionFilename('attachment; filename="iris-best-predictions.csv"')).toBe('iris-best-predictions.csv')
    expect(dispositionFilename('attachment; filename=plain.csv')).toBe('plain.csv')
    expect(dispositionFilename('attachment')).toBeNull()
    expect(dispositionFilename(null)).toBeNull()
  })
})
