import type { ReactNode } from 'react'

import { cn } from '@/lib/cn'

interface Props {
  title?: ReactNode
  actions?: ReactNode
  children: ReactNode
  className?: string
  bodyClassName?: string
  /** id for aria-labelledby on the section */
  id?: string
}

/** A titled panel. Renders as a <section> labelled by its title. */
export function Card({ title, actions, children, className, bodyClassName, id }: Props) {
  const headingId = id ? `${id}-title` : undefined
  return (
    <section
      aria-labelledby={headingId}
      className={cn('rounded-lg border border-slate-200 bg-white shadow-xs', className)}
    >
      {(title || actions) && (
        <header className="flex min-h-10 items-center justify-between gap-3 border-b border-slate-200 px-4 py-2">
          {title && (
            <h2 id={headingId} className="text-sm font-semibold text-slate-800">
              {title}
            </h2>
          )}
          {actions && <div className="flex items-center gap-2">{actions}</div>}
        </header>
      )}
      <div className={cn('p-4', bodyClassName)}>{children}</div>
    </section>
  )
}
