import { describe, expect, it } from 'vitest'

import { summarizeCsv } from '@/lib/csv'

describe('summarizeCsv', () => {
  it('reads the header, a preview and the row count', () => {
    const text = 'a,b,prediction\n1,x,yes\n2,y,no\n3,z,yes\n'
    expect(summarizeCsv(text, 2)).toEqual({ header: ['a', 'b', 'prediction'], preview: [['1', 'x', 'yes'], ['2', 'y', 'no']], rows: 3 })
  })

  it('keeps quoted commas, doubled quotes and newlines inside one field', () => {
    const text = 'note,prediction\r\n"hello, ""world""",yes\r\n"two\nlines",no\r\n'
    const s = summarizeCsv(text)
    expect(s.rows).toBe(2)
    expect(s.preview).toEqual([['hello, "world"', 'yes'], ['two\nlines', 'no']])
  })

  it('counts a last row without a newline, skips blank lines, and handles a header alone', () => {
    expect(summarizeCsv('a\n1\n\n2').rows).toBe(2)
    expect(summarizeCsv('a,b\n')).toEqual({ header: ['a', 'b'], preview: [], rows: 0 })
    expect(summarizeCsv('')).toEqual({ header: [], preview: [], rows: 0 })
  })

  it('counts 100k rows', () => {
    const text = 'x,prediction\n' + Array.from({ length: 100_000 }, (_, i) => `${i},"a,b"`).join('\n') + '\n'
    expect(summarizeCsv(text).rows).toBe(100_000)
  })
})
