import '@testing-library/jest-dom/vitest'

import { cleanup } from '@testing-library/react'
import { afterEach, beforeEach } from 'vitest'

import { resetAuthStore } from '@/stores/auth'
import { resetUiStore } from '@/stores/ui'
import { FakeWebSocket } from '@/test/FakeWebSocket'
import { assertAllHandled, installMockFetch } from '@/test/server'

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
