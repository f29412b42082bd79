// RolloutEngineTests: tests arrive with their issue.
