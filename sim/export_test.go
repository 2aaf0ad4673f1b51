package sim

// SetConditionalFlushRuns sets condFlushRuns for a test and returns the
// function that restores it.
func SetConditionalFlushRuns(n int64) func() {
	old := condFlushRuns
	condFlushRuns = n
	return func() { condFlushRuns = old }
}
