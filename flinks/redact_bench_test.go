package flinks

import (
	"encoding/base64"
	"strings"
	"testing"
)

// redactExact is the value matching Redact did before issue 21 (the exact spelling only), kept as the benchmark's
// baseline.
func redactExact(s string, secrets ...string) string {
	for _, v := range secrets {
		if len(v) >= minValueLen {
			s = strings.ReplaceAll(s, v, Mask(v))
		}
	}
	return s
}

// BenchmarkRedact measures the value matching of the one redaction helper on what it sees most: an error message,
// the 64 KB excerpt of a body the Activity log keeps (maxRecordedBody), and 64 KB of Base64, each with the four secrets a data call
// carries. "byValue" is redactValues (every spelling and encoding), "exact" the earlier exact-match baseline; each
// byValue run reports its cost as a ratio of the baseline's (x-exact).
func BenchmarkRedact(b *testing.B) {
	secrets := []string{testSecretKey, testAPIKey, "tok-0123456789abcdef", testLoginID}
	message := `GetAccountsDetail: Flinks answered 401 Unauthorized UNAUTHORIZED: You must provide a valid auth key (RequestId 6f1c3b0e-9d2a-4c1e-8f7b-2a5d9e0c4b11)`
	row := `{"Title":"Chequing","AccountNumber":"1111000222","Balance":{"Current":1234.56},"Transactions":[{"Description":"PAYROLL DEPOSIT ACME","Debit":null,"Credit":2000.5,"Date":"2026/11/30"}]},`
	body := strings.Repeat(row, maxRecordedBody/len(row)+1)[:maxRecordedBody]
	// The worst case: one long run of Base64 (a statement's PDF), where every position may start a piece.
	pdf := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("%PDF-1.7 stream 0 obj << /Length 42 >> endobj ", maxRecordedBody/60)))[:maxRecordedBody]
	for _, bc := range []struct{ name, text string }{{"message", message}, {"body64KB", body}, {"base64_64KB", pdf}} {
		var exact float64
		b.Run(bc.name+"/exact", func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			for b.Loop() {
				_ = redactExact(bc.text, secrets...)
			}
			exact = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		})
		b.Run(bc.name+"/byValue", func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			for b.Loop() {
				_ = redactValues(bc.text, secrets)
			}
			if exact > 0 {
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/exact, "x-exact")
			}
		})
	}
}
