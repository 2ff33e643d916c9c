/** The wizard's look at the data before the first run: findings, and the target's distribution. */
import { Chart } from '@/components/charts/Chart'
import { ProfileFindings } from '@/components/profile/ProfileFindings'
import { ProfileLoader } from '@/components/profile/ProfileLoader'

export function ProfileSummary({ sourceId, target }: { sourceId: string; target?: string }) {
  return (
    <section aria-label="Data profile" className="mt-4 rounded-md border border-slate-200 bg-slate-50 p-4">
      <h3 className="mb-2 text-sm font-semibold text-slate-800">What the profile found</h3>
      <ProfileLoader sourceId={sourceId} target={target}>
        {(profile) => (
          <div className="grid gap-4">
            <ProfileFindings findings={profile.findings ?? []} />
            {profile.target?.distribution && <Chart plot={profile.target.distribution} className="max-w-xl" />}
          </div>
        )}
      </ProfileLoader>
    </section>
  )
}
