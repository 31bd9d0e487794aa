package contract

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

func mustSchema(t *testing.T, src string) *Schema {
	t.Helper()
	e, err := parseEntry([]byte(`{"name":"X","kind":"event","source":"s","read":"2026-12-07","request":` + src + `}`))
	if err != nil {
		t.Fatalf("schema %s: %v", src, err)
	}
	return e.Request
}

// The error lines are what a person reads when a test fails: each names the field path, what the contract wants
// and what was found.
func TestValidateNamesThePathAndTheTypes(t *testing.T) {
	s := mustSchema(t, `{"type":"object","required":["Accounts","HttpStatusCode"],"properties":{
		"HttpStatusCode":{"type":"integer"},
		"Accounts":{"type":"array","items":{"type":"object","required":["Balance"],"properties":{
			"Balance":{"type":"object","properties":{"Current":{"type":"number"},"Limit":{"type":["number","null"]}}},
			"Category":{"type":"string","enum":["Operations","Credits"]}}}},
		"Strict":{"type":"object","additionalProperties":false,"properties":{"A":{"type":"boolean"}}}}}`)
	cases := []struct{ body, want string }{
		{`{"HttpStatusCode":200,"Accounts":[{"Balance":{"Current":1.5,"Limit":null}}]}`, ""},
		{`{"HttpStatusCode":200,"Accounts":[{"Balance":{"Current":"1.5"}}]}`,
			"Accounts[0].Balance.Current: want number, got string"},
		{`{"HttpStatusCode":200.5,"Accounts":[]}`, "HttpStatusCode: want integer, got number with a fraction"},
		{`{"HttpStatusCode":200,"Accounts":[{}]}`, "Accounts[0].Balance: missing (required)"},
		{`{"Accounts":[]}`, "HttpStatusCode: missing (required)"},
		{`{"HttpStatusCode":200,"Accounts":[{"Balance":{},"Category":"Savings"}]}`,
			`Accounts[0].Category: want one of ["Operations", "Credits"], got "Savings"`},
		{`{"HttpStatusCode":200,"Accounts":[],"Strict":{"A":true,"B":1}}`, "Strict.B: not in the contract"},
		{`{"HttpStatusCode":200,"Accounts":[],"Extra":{"x":1}}`, ""}, // Flinks adds fields: allowed by default
		{`[]`, "(body): want object, got array"},
		{`{"HttpStatusCode":200,"Accounts":[]} x`, "(body): text after the JSON value"},
		{`{"HttpStatusCode":2e2,"Accounts":[]}`, ""}, // a whole number is an integer however written
	}
	for _, c := range cases {
		err := s.ValidateJSON([]byte(c.body))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected %v", c.body, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want %q", c.body, err, c.want)
		}
	}
}

func TestEntriesAreCheckedWhenLoaded(t *testing.T) {
	ok := `{"name":"A","kind":"endpoint","method":"GET","path":"/v3/{customerId}/X/{id}","source":"s","read":"2026-12-07",
		"inferred":"","headers":{"required":["x-api-key"],"optional":[]},"request":null,"responses":{"200":{"type":"object"}}}`
	bad := map[string]string{
		"unknown key":       strings.Replace(ok, `"inferred"`, `"infered"`, 1),
		"name and file":     strings.Replace(ok, `"name":"A"`, `"name":"B"`, 1),
		"bad type":          strings.Replace(ok, `"type":"object"`, `"type":"obj"`, 1),
		"bad status":        strings.Replace(ok, `"200"`, `"OK"`, 1),
		"no source":         strings.Replace(ok, `"source":"s"`, `"source":""`, 1),
		"no date":           strings.Replace(ok, `"2026-12-07"`, `"December"`, 1),
		"required not prop": strings.Replace(ok, `{"type":"object"}`, `{"type":"object","required":["Z"]}`, 1),
		"kind":              strings.Replace(ok, `"endpoint"`, `"endpoints"`, 1),
	}
	if _, err := load(fstest.MapFS{"endpoints/A.json": {Data: []byte(ok)}}); err != nil {
		t.Fatalf("a good entry refused: %v", err)
	}
	for what, src := range bad {
		if _, err := load(fstest.MapFS{"endpoints/A.json": {Data: []byte(src)}}); err == nil {
			t.Errorf("%s: accepted", what)
		} else if !strings.Contains(err.Error(), "endpoints/A.json") {
			t.Errorf("%s: the error does not name the file: %v", what, err)
		}
	}
}

func TestEmbeddedEntriesLoad(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no entries embedded")
	}
}

func TestMatchAndValidateRequest(t *testing.T) {
	all, err := load(fstest.MapFS{"endpoints/A.json": {Data: []byte(`{"name":"A","kind":"endpoint","method":"POST",
		"path":"/v3/{customerId}/BankingServices/A","source":"s","read":"2026-12-07","inferred":"",
		"headers":{"required":["x-api-key"],"optional":[]},
		"request":{"type":"object","required":["RequestId"],"properties":{"RequestId":{"type":"string"}}},
		"responses":{"200":{"type":"object"}}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	e := all[0]
	if !e.Matches("POST", "/v3/abc%2Fd/BankingServices/A") || e.Matches("POST", "/v3/a/b/BankingServices/A") ||
		e.Matches("GET", "/v3/abc/BankingServices/A") || e.Matches("POST", "/v3/abc/BankingServices/AB") {
		t.Error("path pattern matched wrongly")
	}
	req, _ := http.NewRequest("POST", "http://x/v3/c/BankingServices/A", strings.NewReader(`{"RequestId":7}`))
	err = e.ValidateRequest(req)
	for _, want := range []string{"(header) x-api-key: missing", "Content-Type", "RequestId: want string, got number"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
	if err := e.ValidateResponse(404, []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "404 is not documented") {
		t.Errorf("an undocumented status passed: %v", err)
	}
}

func TestFieldPaths(t *testing.T) {
	s := mustSchema(t, `{"type":"object","properties":{"A":{"type":"array","items":{"type":"object",
		"properties":{"B":{"type":"string"}}}},"C":{"type":"null"}}}`)
	if got := strings.Join(s.FieldPaths(), " "); got != "A A[].B C" {
		t.Errorf("FieldPaths = %q", got)
	}
	if got := strings.Join(ValuePaths(map[string]any{"A": []any{map[string]any{"B": "x"}}}), " "); got != "A A[].B" {
		t.Errorf("ValuePaths = %q", got)
	}
}
