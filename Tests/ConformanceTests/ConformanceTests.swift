// ConformanceTests: Swift Testing suites for this target.
