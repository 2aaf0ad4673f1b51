// Package plots draws geosim's charts from a run's summary: outcome
// distributions, fan charts of relations over time, event probabilities
// with intervals, time to event, and a one-page dashboard, plus the HTML
// report that shows them. It is the only importer of gonum/plot.
//
// Every chart is drawn from output.Summary alone, so charts can be
// re-rendered from summary.json without re-running (geosim plot). Charts
// share one look (Theme): sans-serif text sized for slides, a header
// with title and subtitle, axis labels with units, intervals always
// shown, one colour per actor pair across charts, and a footer naming
// scenario, seed, runs and version.
package plots
