package jsonw

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// marshal is what the server writes: encoding/json without HTML escaping.
func marshal(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

func TestStringAsEncodingJSON(t *testing.T) {
	cases := []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f",
		"<html> & 'x'", "é ü 中文 🙂", "bad \xff utf-8 \xc3", "line\u2028para\u2029", "\u2027\u202a"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		if got, want := string(String(nil, s)), marshal(t, s); got != want {
			t.Errorf("String(%q) = %s, encoding/json: %s", s, got, want)
		}
	}
}

func TestFloatAsEncodingJSON(t *testing.T) {
	cases := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.899, 0.800733, 1e-6, 9.99e-7, 1e-7, 1.5e-9, 1e-300,
		1e20, 1e21, 123456789e15, -2.5e-8, math.MaxFloat64, math.SmallestNonzeroFloat64, 1.0 / 3}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		cases = append(cases, math.Float64frombits(r.Uint64()))
	}
	for _, f := range cases {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			if got := string(Float(nil, f)); got != "null" {
				t.Errorf("Float(%v) = %s, want null", f, got)
			}
			continue
		}
		if got, want := string(Float(nil, f)), marshal(t, f); got != want {
			t.Errorf("Float(%v) = %s, encoding/json: %s", f, got, want)
		}
	}
}

func TestIntBool(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{string(Int(nil, -42)), "-42"}, {string(Int(nil, 0)), "0"},
		{string(Bool(nil, true)), "true"}, {string(Bool(nil, false)), "false"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}
