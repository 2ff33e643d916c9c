"""Running fits: fold tasks, executors, the scheduler, metrics, leaderboards, progress and the
compare/create runner. Depends on models and prepare, never on the Experiment facade."""
