import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import LoginPage from '@/pages/LoginPage'
import RegisterPage from '@/pages/RegisterPage'
import SetupPage from '@/pages/SetupPage'
import { useAuthStore } from '@/stores/auth'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const tokens = { access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 }
const status = (needs: boolean) => ({ needs_bootstrap: needs, registration_enabled: false, version: '0' })

describe('LoginPage', () => {
  it('signs in, stores the tokens and goes home', async () => {
    const user = userEvent.setup()
    mockApi({ 'GET /api/v1/setup/status': status(false), 'POST /api/v1/auth/login': tokens })
    renderRoute(<LoginPage />, { path: '/login', url: '/login' })
    await user.type(screen.getByLabelText('Email'), 'ada@example.com')
    await user.type(screen.getByLabelText('Password'), 'correct horse')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /')
    expect(useAuthStore.getState().accessToken).toBe('a')
    expect(requestsTo('/api/v1/auth/login')[0]?.body).toEqual({ email: 'ada@example.com', password: 'correct horse' })
  })

  it('shows the server’s detail on bad credentials', async () => {
    const user = userEvent.setup()
    mockApi({ 'GET /api/v1/setup/status': status(false), 'POST /api/v1/auth/login': reply(401, { detail: 'Wrong email or password.' }) })
    renderRoute(<LoginPage />, { path: '/login', url: '/login' })
    await user.type(screen.getByLabelText('Email'), 'ada@example.com')
    await user.type(screen.getByLabelText('Password'), 'nope')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.')
    expect(useAuthStore.getState().accessToken).toBeNull()
  })

  it('sends the first visitor to /setup', async () => {
    mockApi({ 'GET /api/v1/setup/status': status(true) })
    renderRoute(<LoginPage />, { path: '/login', url: '/login' })
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /setup')
  })
})

describe('SetupPage', () => {
  it('creates the first account and workspace', async () => {
    const user = userEvent.setup()
    mockApi({ 'GET /api/v1/setup/status': status(true), 'POST /api/v1/setup/bootstrap': tokens })
    renderRoute(<SetupPage />, { path: '/setup', url: '/setup' })
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com')
    await user.type(screen.getByLabelText('Password'), 'short')
    expect(screen.getByText('Use at least 8 characters.')).toBeInTheDocument()
    await user.type(screen.getByLabelText('Password'), '-enough')
    await user.clear(screen.getByLabelText('Workspace name'))
    await user.type(screen.getByLabelText('Workspace name'), 'Acme')
    await user.click(screen.getByRole('button', { name: 'Create account' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /')
    expect(requestsTo('/api/v1/setup/bootstrap')[0]?.body).toEqual({ email: 'ada@example.com', password: 'short-enough', workspace_name: 'Acme' })
    expect(useAuthStore.getState().refreshToken).toBe('r')
  })

  it('is closed once an account exists', async () => {
    mockApi({ 'GET /api/v1/setup/status': status(false) })
    renderRoute(<SetupPage />, { path: '/setup', url: '/setup' })
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /login')
  })
})

describe('RegisterPage', () => {
  it('registers and signs in while registration is open', async () => {
    const user = userEvent.setup()
    mockApi({
      'GET /api/v1/setup/status': { ...status(false), registration_enabled: true },
      'POST /api/v1/auth/register': tokens,
    })
    renderRoute(<RegisterPage />, { path: '/register', url: '/register' })
    await user.type(await screen.findByLabelText('Email'), 'bob@example.com')
    await user.type(screen.getByLabelText('Password'), 'long-enough')
    await user.click(screen.getByRole('button', { name: 'Create account' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /')
    expect(requestsTo('/api/v1/auth/register')[0]?.body).toEqual({ email: 'bob@example.com', password: 'long-enough' })
  })

  it('says registration is closed otherwise', async () => {
    mockApi({ 'GET /api/v1/setup/status': status(false) })
    renderRoute(<RegisterPage />, { path: '/register', url: '/register' })
    expect(await screen.findByRole('heading', { name: 'Registration is closed' })).toBeInTheDocument()
  })
})
