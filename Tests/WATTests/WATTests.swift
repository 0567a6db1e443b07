// WATTests: Swift Testing suites for this target.
