// ControllerRuntimeTests: tests arrive with their issue.
