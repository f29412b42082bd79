// KubeSimTests: tests arrive with their issue.
