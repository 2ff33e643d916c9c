import { describe, expect, it } from 'vitest'

import { roleAllows } from '@/lib/roles'

describe('roleAllows', () => {
  it('ranks viewer < editor < owner', () => {
    expect(roleAllows('owner', 'owner')).toBe(true)
    expect(roleAllows('owner', 'editor')).toBe(true)
    expect(roleAllows('editor', 'editor')).toBe(true)
    expect(roleAllows('editor', 'owner')).toBe(false)
    expect(roleAllows('viewer', 'editor')).toBe(false)
    expect(roleAllows('viewer', 'viewer')).toBe(true)
  })

  it('lets an unknown or missing role do nothing', () => {
    expect(roleAllows(undefined, 'viewer')).toBe(false)
    expect(roleAllows('', 'viewer')).toBe(false)
    expect(roleAllows('admin', 'viewer')).toBe(false)
  })
})
