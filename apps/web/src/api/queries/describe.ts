/** What the engine offers: tasks, models, metrics, setup parameters, plans, samples. Rarely changes. */
import { queryOptions } from '@tanstack/react-query'

import { describeApi } from '@/api/endpoints'
import type { TaskId } from '@/api/types'

const STATIC = { staleTime: 5 * 60_000 }

export const describeKeys = {
  all: ['describe'] as const,
  tasks: () => [...describeKeys.all, 'tasks'] as const,
  models: (task: TaskId) => [...describeKeys.all, 'models', task] as const,
  metrics: (task: TaskId) => [...describeKeys.all, 'metrics', task] as const,
  setupParams: (task: TaskId) => [...describeKeys.all, 'setup-params', task] as const,
  samples: () => [...describeKeys.all, 'samples'] as const,
  plans: (task?: TaskId) => [...describeKeys.all, 'plans', task ?? 'all'] as const,
}

export const buildTasksQuery = () => queryOptions({ queryKey: describeKeys.tasks(), queryFn: describeApi.tasks, ...STATIC })

export const buildModelsQuery = (task: TaskId) =>
  queryOptions({ queryKey: describeKeys.models(task), queryFn: () => describeApi.models(task), ...STATIC })

export const buildMetricsQuery = (task: TaskId) =>
  queryOptions({ queryKey: describeKeys.metrics(task), queryFn: () => describeApi.metrics(task), ...STATIC })

export const buildSetupParamsQuery = (task: TaskId) =>
  queryOptions({ queryKey: describeKeys.setupParams(task), queryFn: () => describeApi.setupParams(task), ...STATIC })

export const buildSamplesQuery = () =>
  queryOptions({ queryKey: describeKeys.samples(), queryFn: describeApi.samples, ...STATIC })

/** Every plan, or (given a task) those the task offers. */
export const buildPlansQuery = (task?: TaskId) =>
  queryOptions({ queryKey: describeKeys.plans(task), queryFn: () => describeApi.plans(task), ...STATIC })
