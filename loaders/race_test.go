//go:build race

package loaders

// raceEnabled says the tests run under the race detector, which multiplies
// a process's memory: TestBombsRSS measures without it (.ci/run runs it
// again so).
const raceEnabled = true
