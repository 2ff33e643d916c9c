import { describe, expect, it } from 'vitest'

import { displayValue, exactNumber, formatNumber, formatTick } from '@/lib/format'

describe('formatNumber', () => {
  it('groups large regression errors instead of printing raw decimals', () => {
    expect(formatNumber(655651563.4694)).toBe('655,651,563')
    expect(formatNumber(-25_000.5)).toBe('-25,001')
    expect(formatNumber(123456)).toBe('123,456')
  })

  it('switches to four-significant-digit exponent form for huge and tiny magnitudes', () => {
    expect(formatNumber(6.55651563e14)).toBe('6.557e14')
    expect(formatNumber(0.0001234)).toBe('1.234e-4')
    expect(formatNumber(-0.00002)).toBe('-2e-5')
  })

  it('keeps four significant digits for ordinary scores', () => {
    expect(formatNumber(0.923456)).toBe('0.9235')
    expect(formatNumber(0.0012345)).toBe('0.001235')
    expect(formatNumber(12.345678)).toBe('12.35')
    expect(formatNumber(1234.5678)).toBe('1,235')
    expect(formatNumber(0.5)).toBe('0.5000')
    // below 0.1 trailing zeros say nothing (a fit time of 0.002 s)
    expect(formatNumber(0.002)).toBe('0.002')
    expect(formatNumber(0.0768)).toBe('0.0768')
    expect(formatNumber(0.09999)).toBe('0.09999')
  })

  it('leaves small integers, zero and non-finite values readable', () => {
    expect(formatNumber(0)).toBe('0')
    expect(formatNumber(5)).toBe('5')
    expect(formatNumber(2024)).toBe('2024')
    expect(formatNumber(Number.NaN)).toBe('NaN')
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('Infinity')
  })

  it('exactNumber keeps every digit for tooltips', () => {
    expect(exactNumber(655651563.4694)).toBe('655651563.4694')
    expect(displayValue(655651563.4694)).toBe('655,651,563')
  })
})

describe('formatTick', () => {
  it('is short: no trailing zeros, compact thousands, exponent for the tiny', () => {
    expect(formatTick(0)).toBe('0')
    expect(formatTick(0.2)).toBe('0.2')
    expect(formatTick(0.95)).toBe('0.95')
    expect(formatTick(1)).toBe('1')
    expect(formatTick(1234)).toBe('1,234')
    expect(formatTick(250000)).toBe('250K')
    expect(formatTick(-800000)).toBe('-800K')
    expect(formatTick(655651563)).toBe('655.7M')
    expect(formatTick(0.0002)).toBe('2e-4')
    expect(formatTick(0.12345)).toBe('0.1235')
  })
})
