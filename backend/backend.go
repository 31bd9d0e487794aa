// Package backend writes a starter back end for the integrator's product: a small project in their language that
// embeds Connect, keeps the loginId on the server, fetches the accounts by Flinks' polling rules, verifies webhooks
// and deletes a login (issue 20). The projects' files are templates under templates/<language>/, embedded; the
// choices made on the command line or in the app are written into one generated file of settings.
package backend

import (
	"bytes"
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/template"

	"flinks-onboard/flinks"
	"flinks-onboard/safefile"
)

//go:embed all:templates
var templates embed.FS

// Language is the language of a generated project.
type Language string

const (
	Go     Language = "go"
	Node   Language = "node"
	Python Language = "python"
)

// Languages lists the languages in the order the help shows them.
var Languages = []Language{Go, Node, Python}

// ParseLanguage reads a --lang value.
func ParseLanguage(s string) (Language, error) {
	l := Language(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(Languages, l) {
		return "", fmt.Errorf("the language must be go, node or python, not %q", s)
	}
	return l, nil
}

// RunCommands says how to start a project of l and how to run its own tests (which need flinks-onboard on the
// PATH or in $FLINKS_ONBOARD), for both front ends to print.
func RunCommands(l Language) (run, test string) {
	switch l {
	case Node:
		return "node server.js", "node --test"
	case Python:
		return "python3 server.py", "python3 -m unittest -v"
	}
	return "go run .", "go test ./..."
}

// Options are the choices a project is written for.
type Options struct {
	Language Language
	Product  flinks.Product
	// ConnectQuery is the Connect iframe's query (flinks.ConnectOptions.Query): the back end adds its own
	// authorizeToken and redirectUrl to it for each page.
	ConnectQuery string
	// Production makes the project refuse to start with demo=true or a Toolbox or loopback URL.
	Production bool
}

// Written says whether a project exists (and is tested) for the language and product: it is the folder
// templates/<language>/<product>/ beside templates/<language>/common/.
func Written(l Language, p flinks.Product) bool {
	_, err := fs.Stat(templates, path.Join("templates", string(l), string(p)))
	return err == nil
}

// Check says whether o can be written now: a language and product whose project exists and is tested.
func (o Options) Check() error {
	switch {
	case !slices.Contains(Languages, o.Language):
		return fmt.Errorf("the language must be go, node or python, not %q", o.Language)
	case !Written(o.Language, o.Product):
		return fmt.Errorf("not yet: the %s back end for %s is not written yet", o.Language, o.Product)
	case strings.Contains(o.ConnectQuery, "authorizeToken=") || strings.Contains(o.ConnectQuery, "redirectUrl="):
		return errors.New("the Connect parameters must not carry an authorizeToken or a redirectUrl: the back end adds its own")
	case o.Production && strings.Contains(o.ConnectQuery, "demo=true"):
		return errors.New("a back end for production cannot use demo=true (the test bank): leave --demo off")
	}
	return nil
}

// Write writes the project for o into dir, which must not exist or be empty: it never replaces a file of the
// user's. It returns the files written, relative to dir, sorted.
//
// The project is templates/<language>/common/ with templates/<language>/<product>/ laid over it (a name in both is
// a mistake of ours, refused). A name ending in .tmpl is copied as it is without that suffix (the suffix keeps this
// module's tools from reading the project's Go files and go.mod); a name ending in .template is rendered with
// text/template, delimiters [[ ]] so that JavaScript and HTML braces need no escaping, from the choices
// (templateData): the one place the choices enter the project.
func Write(dir string, o Options) ([]string, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	files, err := render(o)
	if err != nil {
		return nil, err
	}
	if err := emptyOrAbsent(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", dir, err)
	}
	if err := safefile.CheckDir(dir); err != nil {
		return nil, err
	}
	names := slices.Sorted(maps.Keys(files))
	for i, name := range names {
		if err := writeFile(dir, name, files[name]); err != nil {
			return names[:i], err
		}
	}
	return names, nil
}

// templateData is what a .template file may use. Demo, Language and Tag are read from ConnectQuery, where the
// choices of every product arrive (flinks.ConnectOptions.Query): Express takes demo, Custom OAuth the language and
// the tag.
type templateData struct {
	ConnectQuery    string
	EnvironmentKind string // "production" or "sandbox"
	Product         string // connect, express or custom
	Demo            bool   // demo=true: the test bank is listed
	Language        string // en or fr
	Tag             string
}

// render builds every file of o's project in memory, so that nothing is written when a template is broken.
func render(o Options) (map[string][]byte, error) {
	query, err := url.ParseQuery(o.ConnectQuery)
	if err != nil {
		return nil, fmt.Errorf("the Connect parameters %q are not a query string: %w", o.ConnectQuery, err)
	}
	data := templateData{ConnectQuery: o.ConnectQuery, EnvironmentKind: "sandbox", Product: string(o.Product),
		Demo: query.Get("demo") == "true", Language: cmp.Or(query.Get("language"), "en"), Tag: query.Get("tag")}
	if o.Production {
		data.EnvironmentKind = "production"
	}
	files := map[string][]byte{}
	for _, part := range []string{"common", string(o.Product)} {
		root := path.Join("templates", string(o.Language), part)
		err := fs.WalkDir(templates, root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			b, err := templates.ReadFile(p)
			if err != nil {
				return err
			}
			name := strings.TrimPrefix(p, root+"/")
			switch {
			case strings.HasSuffix(name, ".template"):
				name = strings.TrimSuffix(name, ".template")
				t, err := template.New(name).Delims("[[", "]]").Option("missingkey=error").Parse(string(b))
				if err != nil {
					return err
				}
				var out bytes.Buffer
				if err := t.Execute(&out, data); err != nil {
					return err
				}
				b = out.Bytes()
			default:
				name = strings.TrimSuffix(name, ".tmpl")
			}
			if _, dup := files[name]; dup {
				return fmt.Errorf("backend templates: %s is in both common/ and %s/", name, o.Product)
			}
			files[name] = b
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

func writeFile(dir, name string, data []byte) error {
	target := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	return safefile.WriteBytes(target, data)
}

func emptyOrAbsent(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("cannot read %s: %w", dir, err)
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty: choose a new or empty folder, so that no file of yours is replaced: %w", dir, ErrNotEmpty)
	}
	return nil
}

// ErrNotEmpty is Write's refusal of a folder that holds files, for a front end to word in its person's language.
var ErrNotEmpty = errors.New("the folder is not empty")
