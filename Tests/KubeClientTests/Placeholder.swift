// KubeClientTests: tests arrive with their issue.
