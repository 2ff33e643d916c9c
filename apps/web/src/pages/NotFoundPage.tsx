import { Link } from 'react-router-dom'

import { EmptyState } from '@/components/ui/feedback'

export default function NotFoundPage() {
  return (
    <EmptyState title="Page not found">
      <Link to="/" className="text-teal-700 hover:underline">
        Back to workspaces
      </Link>
    </EmptyState>
  )
}
