/** Helpers on auth payloads shared by the gate and the sign-in screens. */
import type { SetupStatus } from '@/api/types'

/** True while no account exists yet, i.e. the first-run bootstrap screen should show. */
export function needsSetup(status: SetupStatus | undefined): boolean {
  return status?.needs_bootstrap === true
}
