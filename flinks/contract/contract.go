// Package contract is the machine-readable Flinks contract: one JSON file per endpoint, webhook or Connect event in
// endpoints/ (the format is described in docs/flinks-contract.md, "The machine-readable contract"), each with the
// page its facts come from. Tests of the client (flinks/contract_oracle_test.go) and of the simulator validate what
// they send and answer against it, so the two cannot agree with each other while both disagree with Flinks.
//
// It imports nothing of the module on purpose: the client and the simulator are both checked by it and neither may
// shape it.
package contract

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed endpoints/*.json
var files embed.FS

// Kinds of entries.
const (
	KindEndpoint = "endpoint" // a call the client makes
	KindWebhook  = "webhook"  // a POST Flinks makes to the integrator; Request is its payload
	KindEvent    = "event"    // a Connect event posted to the embedding page; Request is its payload
)

// Entry is one endpoint, webhook or event.
type Entry struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Method   string `json:"method,omitempty"`
	Path     string `json:"path,omitempty"`
	Source   string `json:"source"`
	Read     string `json:"read"`
	Inferred string `json:"inferred"`
	Headers  struct {
		Required []string `json:"required"`
		Optional []string `json:"optional"`
	} `json:"headers"`
	Request   *Schema            `json:"request"`
	Responses map[string]*Schema `json:"responses"`
	// Notes is free text for what a reader of the file should know (what is unconfirmed, where pages disagree).
	Notes string `json:"notes,omitempty"`

	pathRE *regexp.Regexp
}

// Schema is the subset of JSON Schema the contract uses. AdditionalProperties defaults to true: Flinks adds fields.
type Schema struct {
	Type                 Types              `json:"type,omitempty"`
	Properties           map[string]*Schema `json:"properties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	Items                *Schema            `json:"items,omitempty"`
	Enum                 []any              `json:"enum,omitempty"`
	AdditionalProperties *bool              `json:"additionalProperties,omitempty"`
	Description          string             `json:"description,omitempty"`
}

// Types is a schema's "type": one name or a list.
type Types []string

// UnmarshalJSON accepts a string or an array of strings.
func (t *Types) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*t = Types{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("type must be a string or an array of strings")
	}
	*t = many
	return nil
}

var validTypes = map[string]bool{"string": true, "number": true, "integer": true, "boolean": true, "object": true,
	"array": true, "null": true}

var (
	loadOnce sync.Once
	loaded   []*Entry
	loadErr  error
)

// All returns every entry, sorted by name. The files are parsed and checked once; an error names the file and what
// is wrong in it.
func All() ([]*Entry, error) {
	loadOnce.Do(func() { loaded, loadErr = load(files) })
	return loaded, loadErr
}

// Get returns the entry of that name, or nil.
func Get(name string) *Entry {
	all, _ := All()
	for _, e := range all {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Match returns the endpoint entry whose method and path pattern match a request, or nil. path is the URL path
// (escaped or not) without the API base and query.
func Match(method, urlPath string) *Entry {
	all, _ := All()
	for _, e := range all {
		if e.Kind == KindEndpoint && e.Matches(method, urlPath) {
			return e
		}
	}
	return nil
}

// Matches says whether a request's method and path fit this endpoint. A `{name}` segment of the pattern matches any
// one non-empty segment; the other segments must be equal.
func (e *Entry) Matches(method, urlPath string) bool {
	if e.pathRE == nil || !strings.EqualFold(method, e.Method) {
		return false
	}
	return e.pathRE.MatchString(urlPath)
}

func load(fsys fs.FS) ([]*Entry, error) {
	names, err := fs.Glob(fsys, "endpoints/*.json")
	if err != nil {
		return nil, err
	}
	var out []*Entry
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		e, err := parseEntry(b)
		if err != nil {
			return nil, fmt.Errorf("flinks/contract/%s: %w", name, err)
		}
		if want := strings.TrimSuffix(path.Base(name), ".json"); e.Name != want {
			return nil, fmt.Errorf("flinks/contract/%s: name %q differs from the file name %q", name, e.Name, want)
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

var statusKey = regexp.MustCompile(`^[1-5][0-9][0-9]$`)
var readDate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// parseEntry decodes one file strictly (an unknown key is a typo, not an extension) and checks it is complete.
func parseEntry(b []byte) (*Entry, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var e Entry
	if err := dec.Decode(&e); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("text after the JSON object")
	}
	if e.Name == "" {
		return nil, fmt.Errorf("no name")
	}
	if e.Source == "" && e.Inferred == "" {
		return nil, fmt.Errorf("neither a source page nor an inferred note")
	}
	if !readDate.MatchString(e.Read) {
		return nil, fmt.Errorf("read %q: want the date the page was read, YYYY-MM-DD", e.Read)
	}
	switch e.Kind {
	case KindEndpoint:
		if e.Method == "" || e.Path == "" {
			return nil, fmt.Errorf("an endpoint needs a method and a path")
		}
		if e.Method != strings.ToUpper(e.Method) {
			return nil, fmt.Errorf("method %q: want upper case", e.Method)
		}
		re, err := compilePath(e.Path)
		if err != nil {
			return nil, err
		}
		e.pathRE = re
	case KindWebhook, KindEvent:
		if e.Request == nil {
			return nil, fmt.Errorf("a %s needs its payload as request", e.Kind)
		}
	default:
		return nil, fmt.Errorf("kind %q: want endpoint, webhook or event", e.Kind)
	}
	if e.Request != nil {
		if err := e.Request.check("request"); err != nil {
			return nil, err
		}
	}
	for code, s := range e.Responses {
		if !statusKey.MatchString(code) {
			return nil, fmt.Errorf("responses: %q is not an HTTP status", code)
		}
		if s == nil {
			return nil, fmt.Errorf("responses.%s: null", code)
		}
		if err := s.check("responses." + code); err != nil {
			return nil, err
		}
	}
	return &e, nil
}

// compilePath turns "/v3/{customerId}/BankingServices/X" into a regexp matching escaped or unescaped paths.
func compilePath(p string) (*regexp.Regexp, error) {
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("path %q: want a leading /", p)
	}
	var b strings.Builder
	b.WriteString("^")
	for _, seg := range strings.Split(p[1:], "/") {
		b.WriteString("/")
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			b.WriteString("[^/]+")
			continue
		}
		b.WriteString(regexp.QuoteMeta(seg))
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// check says whether a schema uses only known types and is consistent, naming the place of the first problem.
func (s *Schema) check(at string) error {
	for _, t := range s.Type {
		if !validTypes[t] {
			return fmt.Errorf("%s: unknown type %q", at, t)
		}
	}
	for _, r := range s.Required {
		if _, ok := s.Properties[r]; !ok {
			return fmt.Errorf("%s: required %q is not among the properties", at, r)
		}
	}
	if len(s.Properties) > 0 && len(s.Type) > 0 && !s.allows("object") {
		return fmt.Errorf("%s: properties on a schema that is not an object", at)
	}
	if s.Items != nil && len(s.Type) > 0 && !s.allows("array") {
		return fmt.Errorf("%s: items on a schema that is not an array", at)
	}
	for name, p := range s.Properties {
		if p == nil {
			return fmt.Errorf("%s.%s: null schema", at, name)
		}
		if err := p.check(at + "." + name); err != nil {
			return err
		}
	}
	if s.Items != nil {
		return s.Items.check(at + "[]")
	}
	return nil
}

func (s *Schema) allows(t string) bool {
	for _, have := range s.Type {
		if have == t || (t == "integer" && have == "number") {
			return true
		}
	}
	return false
}

// Errors lists every place a JSON value breaks a schema. Each line reads like
// `Accounts[0].Balance.Current: want number, got string`.
type Errors []string

func (e Errors) Error() string { return strings.Join(e, "\n") }

// ValidateJSON decodes one JSON value (numbers kept exact, so an integer is told from a fraction) and validates it.
// It returns nil or an Errors.
func (s *Schema) ValidateJSON(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return Errors{"(body): not JSON: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errors{"(body): text after the JSON value"}
	}
	return s.Validate(v)
}

// Validate checks a value decoded by encoding/json (json.Number or float64 for numbers). It returns nil or an Errors.
func (s *Schema) Validate(v any) error {
	var errs Errors
	s.validate("", v, &errs)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func at(p string) string {
	if p == "" {
		return "(body)"
	}
	return p
}

func join(p, name string) string {
	if p == "" {
		return name
	}
	return p + "." + name
}

// jsonType names the JSON type of a decoded value; "integer" for a whole number.
func jsonType(v any) string {
	switch n := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		// As in JSON Schema, a whole number is an integer however it is written (1, 1.0, 1e3).
		if _, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return "integer"
		}
		if f, err := n.Float64(); err == nil && f == math.Trunc(f) {
			return "integer"
		}
		return "number"
	case float64:
		if n == math.Trunc(n) {
			return "integer"
		}
		return "number"
	case int, int64:
		return "integer"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}

func (s *Schema) validate(p string, v any, errs *Errors) {
	got := jsonType(v)
	if len(s.Type) > 0 && !s.allows(got) {
		shown := got
		if shown == "integer" {
			shown = "number"
		}
		if got == "number" && s.allows("integer") {
			shown = "number with a fraction"
		}
		*errs = append(*errs, fmt.Sprintf("%s: want %s, got %s", at(p), strings.Join(s.Type, " or "), shown))
		return
	}
	if len(s.Enum) > 0 && !inEnum(s.Enum, v) {
		*errs = append(*errs, fmt.Sprintf("%s: want one of %s, got %s", at(p), enumText(s.Enum), short(v)))
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range s.Required {
			if _, ok := x[r]; !ok {
				*errs = append(*errs, fmt.Sprintf("%s: missing (required)", join(p, r)))
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := s.Properties[k]; ok {
				ps.validate(join(p, k), x[k], errs)
			} else if s.AdditionalProperties != nil && !*s.AdditionalProperties {
				*errs = append(*errs, fmt.Sprintf("%s: not in the contract", join(p, k)))
			}
		}
	case []any:
		if s.Items != nil {
			for i, item := range x {
				s.Items.validate(fmt.Sprintf("%s[%d]", p, i), item, errs)
			}
		}
	}
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		if fmt.Sprint(e) == fmt.Sprint(v) && jsonKind(e) == jsonKind(v) {
			return true
		}
	}
	return false
}

func jsonKind(v any) string {
	if t := jsonType(v); t != "integer" {
		return t
	}
	return "number"
}

func enumText(enum []any) string {
	parts := make([]string, len(enum))
	for i, e := range enum {
		parts[i] = short(e)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// short shows a value in an error: strings quoted and cut, objects and arrays by type only (they may hold data).
func short(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			x = x[:40] + "…"
		}
		return strconv.Quote(x)
	case map[string]any, []any:
		return jsonType(v)
	}
	return fmt.Sprint(v)
}

// Response returns the schema of the answer with that status, or nil when the entry documents none.
func (e *Entry) Response(status int) *Schema {
	return e.Responses[strconv.Itoa(status)]
}

// ValidateResponse checks a status and body against the entry: the status must be documented, the body must fit.
func (e *Entry) ValidateResponse(status int, body []byte) error {
	s := e.Response(status)
	if s == nil {
		return Errors{fmt.Sprintf("(status): %d is not documented for %s (have %s)", status, e.Name, e.statuses())}
	}
	return s.ValidateJSON(body)
}

func (e *Entry) statuses() string {
	codes := make([]string, 0, len(e.Responses))
	for c := range e.Responses {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return strings.Join(codes, ", ")
}

// ValidateRequest checks a request the client sends: method and path, the required headers, and the body against
// Request (a JSON POST must also say Content-Type: application/json). It reads and restores req.Body.
func (e *Entry) ValidateRequest(req *http.Request) error {
	var errs Errors
	if !e.Matches(req.Method, req.URL.EscapedPath()) {
		errs = append(errs, fmt.Sprintf("(request): %s %s does not match %s %s", req.Method, req.URL.EscapedPath(),
			e.Method, e.Path))
	}
	for _, h := range e.Headers.Required {
		if req.Header.Get(h) == "" {
			errs = append(errs, fmt.Sprintf("(header) %s: missing (required)", h))
		}
	}
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return append(errs, "(body): cannot read: "+err.Error())
		}
		body = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	switch {
	case e.Request != nil && len(bytes.TrimSpace(body)) == 0:
		errs = append(errs, "(body): missing")
	case e.Request != nil:
		if ct := req.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			errs = append(errs, fmt.Sprintf("(header) Content-Type: want application/json, got %q", ct))
		}
		if err := e.Request.ValidateJSON(body); err != nil {
			errs = append(errs, err.(Errors)...)
		}
	case len(bytes.TrimSpace(body)) > 0:
		errs = append(errs, "(body): the contract documents no body for "+e.Name)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// FieldPaths lists the field paths a schema names, e.g. "Accounts[].Balance.Current", sorted. A test decodes a
// sample into the client's type, encodes it again and compares these paths to find a documented field the client
// silently drops.
func (s *Schema) FieldPaths() []string {
	var out []string
	s.fieldPaths("", &out)
	sort.Strings(out)
	return out
}

func (s *Schema) fieldPaths(p string, out *[]string) {
	for name, ps := range s.Properties {
		q := join(p, name)
		*out = append(*out, q)
		ps.fieldPaths(q, out)
	}
	if s.Items != nil {
		s.Items.fieldPaths(p+"[]", out)
	}
}

// OpenPaths lists the paths of the objects whose schema says additionalProperties: true in so many words: maps the
// page documents as open (a Card of attributes keyed by name, a Login "as /Authorize answers it"). A test looking for
// fields the contract does not name skips what is under them; the default (unset) stays closed for that test.
func (s *Schema) OpenPaths() []string {
	var out []string
	s.openPaths("", &out)
	sort.Strings(out)
	return out
}

func (s *Schema) openPaths(p string, out *[]string) {
	if s.AdditionalProperties != nil && *s.AdditionalProperties {
		*out = append(*out, p)
	}
	for name, ps := range s.Properties {
		ps.openPaths(join(p, name), out)
	}
	if s.Items != nil {
		s.Items.openPaths(p+"[]", out)
	}
}

// ValuePaths lists the field paths present in a decoded JSON value, in the same form as FieldPaths.
func ValuePaths(v any) []string {
	seen := map[string]bool{}
	valuePaths("", v, seen)
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func valuePaths(p string, v any, seen map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, item := range x {
			q := join(p, k)
			seen[q] = true
			valuePaths(q, item, seen)
		}
	case []any:
		for _, item := range x {
			valuePaths(p+"[]", item, seen)
		}
	}
}
