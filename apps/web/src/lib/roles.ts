/**
 * What a member's role lets them do, as the server decides it (`services/access.py`: viewer <
 * editor < owner). The UI hides controls a role cannot use; the server still has the last word.
 */
const RANK: Record<string, number> = { viewer: 0, editor: 1, owner: 2 }

/** True when `role` is at least `needed`; an unknown or missing role may do nothing. */
export function roleAllows(role: string | null | undefined, needed: 'viewer' | 'editor' | 'owner'): boolean {
  const have = role ? RANK[role] : undefined
  return have !== undefined && have >= (RANK[needed] ?? Infinity)
}
