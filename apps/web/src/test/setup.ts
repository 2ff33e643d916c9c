import '@testing-library/jest-dom/vitest'

import { cleanup, configure } from '@testing-library/react'
import { afterEach, beforeEach } from 'vitest'

import { resetAuthStore } from '@/stores/auth'
import { resetUiStore } from '@/stores/ui'
import { FakeWebSocket } from '@/test/FakeWebSocket'
import { assertAllHandled, installMockFetch } from '@/test/server'

// findBy*/waitFor poll for what a page renders after its (mocked) requests; Testing Library's
// 1 s default is a wall-clock assumption a busy 2-core machine breaks (seen with a load average
// of ~20). A longer ceiling costs nothing when the page is quick: they return as soon as it is.
configure({ asyncUtilTimeout: 5_000 })

class UnexpectedXhr {
  open(method: string, url: string): void {
    throw new Error(`Unexpected XMLHttpRequest in test: ${method} ${url}`)
  }
}

beforeEach(() => {
  installMockFetch()
  FakeWebSocket.reset()
  globalThis.WebSocket = FakeWebSocket as unknown as typeof WebSocket
  globalThis.XMLHttpRequest = UnexpectedXhr as unknown as typeof XMLHttpRequest
})

afterEach(() => {
  cleanup()
  resetAuthStore()
  resetUiStore()
  localStorage.clear()
  assertAllHandled()
})
