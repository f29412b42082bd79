// AppReleaseEndToEndTests: tests arrive with their issue.
