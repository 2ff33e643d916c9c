/** Deployment slugs: lowercase letters, digits and dashes, 3–63 chars, starting with a letter. */
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/

/** Why a slug is invalid, or null when it is fine. */
export function slugProblem(slug: string): string | null {
  if (slug.length < 3) return 'Use at least 3 characters.'
  if (slug.length > 63) return 'Use at most 63 characters.'
  if (!/^[a-z]/.test(slug)) return 'Start with a lowercase letter.'
  if (!/^[a-z0-9-]+$/.test(slug)) return 'Use only lowercase letters, digits and dashes.'
  if (slug.endsWith('-')) return 'Do not end with a dash.'
  return null
}

/** Suggest a slug from a free-text name. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
}
