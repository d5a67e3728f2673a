package server

import (
	"context"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/leydigkg/leydigkg/schema"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (never the process-wide default one), served at /metrics.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec   // operation, outcome
	latency  *prometheus.HistogramVec // operation, outcome
	errors   *prometheus.CounterVec   // code
	http     *prometheus.CounterVec   // handler, status class

	mu    sync.Mutex
	names map[string]bool // operation names seen, bounded
}

// maxOperationNames bounds the label values clients can create: later
// names are counted as "other".
const maxOperationNames = 200

var operationName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

func newMetrics(store schema.Store) *metrics {
	m := &metrics{
		reg:   prometheus.NewRegistry(),
		names: map[string]bool{},
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "leydigkg_graphql_requests_total",
			Help: "GraphQL requests by operation name and outcome (ok, field_error, request_error, refused, timeout).",
		}, []string{"operation", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "leydigkg_graphql_request_duration_seconds",
			Help:    "Time to answer a GraphQL request, by operation name and outcome.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"operation", "outcome"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "leydigkg_graphql_errors_total",
			Help: "GraphQL errors in responses, by extensions.code.",
		}, []string{"code"}),
		http: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "leydigkg_http_requests_total",
			Help: "HTTP requests by handler and status code.",
		}, []string{"handler", "code"}),
	}
	stat := func(name, help string, f func() int) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return float64(f()) })
	}
	m.reg.MustRegister(
		m.requests, m.latency, m.errors, m.http,
		stat("leydigkg_store_entities", "Entities in the store.", func() int { return store.Stats(context.Background()).Entities }),
		stat("leydigkg_store_links", "Causal links in the store.", func() int { return store.Stats(context.Background()).Links }),
		stat("leydigkg_store_references", "References in the store.", func() int { return store.Stats(context.Background()).References }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// label turns a client's operation name into a bounded label value.
func (m *metrics) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !operationName.MatchString(name) {
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.names[name] {
		return name
	}
	if len(m.names) >= maxOperationNames {
		return "other"
	}
	m.names[name] = true
	return name
}

func (m *metrics) observe(out *outcome, d time.Duration) {
	op := m.label(out.operation)
	result := out.result
	if result == "" {
		result = outcomeRequestError
	}
	m.requests.WithLabelValues(op, result).Inc()
	m.latency.WithLabelValues(op, result).Observe(d.Seconds())
	for _, c := range out.codes {
		m.errors.WithLabelValues(c).Inc()
	}
}
