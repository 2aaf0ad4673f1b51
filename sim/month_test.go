package sim

// clearMonth empties the month's received signals and actions, as coefs
// does at the start of each month of a run, for tests that take
// decisions outside the month loop.
func (w *Workspace) clearMonth() {
	clear(w.monthly)
	w.traded = w.traded[:0]
}
