/** Render a screen inside the app's providers and a memory router at a given URL. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { createMemoryRouter, RouterProvider, useLocation, type RouteObject } from 'react-router-dom'

export function testQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  })
}

/**
 * Render `element` at `path` (a route pattern) visited at `url`. Other routes show a marker
 * (`Went to <pathname>`) so tests can assert navigation.
 */
export function renderRoute(element: ReactElement, { path = '/', url = '/', extra = [] as RouteObject[] } = {}) {
  const client = testQueryClient()
  const router = createMemoryRouter(
    [
      { path, element },
      ...extra,
      { path: '*', element: <NavMarker /> },
    ],
    { initialEntries: [url] },
  )
  const utils = render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  )
  return { ...utils, router, client }
}

function NavMarker() {
  const location = useLocation()
  return <p data-testid="nav-marker">Went to {location.pathname}</p>
}
