import type { ReactNode } from 'react'

import { cn } from '@/lib/cn'

/** A dense data table with a visually hidden caption and sticky header. */
export function Table({ caption, head, children, className }: { caption: string; head: ReactNode; children: ReactNode; className?: string }) {
  return (
    <div className={cn('overflow-x-auto rounded-md border border-slate-200 bg-white', className)}>
      <table className="min-w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-600">
          <tr>{head}</tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  )
}

export function Th({ children, className }: { children?: ReactNode; className?: string }) {
  return (
    <th scope="col" className={cn('px-3 py-2 whitespace-nowrap', className)}>
      {children}
    </th>
  )
}

export function Td({ children, className, title }: { children?: ReactNode; className?: string; title?: string }) {
  return (
    <td className={cn('px-3 py-2 align-middle', className)} title={title}>
      {children}
    </td>
  )
}
