// Package backend writes a starter back end for the integrator's product: a small project in their language that
// embeds Connect, keeps the loginId on the server, fetches the accounts by Flinks' polling rules, verifies webhooks
// and deletes a login (issue 20). The projects' files are templates under templates/<language>/, embedded; the
// choices made on the command line or in the app are written into one generated file of settings.
package backend

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

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

// Check says whether o can be written now: a language and product whose project exists and is tested.
func (o Options) Check() error {
	switch {
	case o.Language == Node || o.Language == Python:
		return fmt.Errorf("not yet: the %s back end is not written yet; use --lang go", o.Language)
	case o.Language != Go:
		return fmt.Errorf("the language must be go, node or python, not %q", o.Language)
	case o.Product != flinks.ProductConnect:
		return fmt.Errorf("not yet: the starter back end covers Flinks Connect only; --product %s is not written yet", o.Product)
	case strings.Contains(o.ConnectQuery, "authorizeToken=") || strings.Contains(o.ConnectQuery, "redirectUrl="):
		return errors.New("the Connect parameters must not carry an authorizeToken or a redirectUrl: the back end adds its own")
	case o.Production && strings.Contains(o.ConnectQuery, "demo=true"):
		return errors.New("a back end for production cannot use demo=true (the test bank): leave --demo off")
	}
	return nil
}

// Write writes the project for o into dir, which must not exist or be empty: it never replaces a file of the
// user's. It returns the files written, relative to dir.
func Write(dir string, o Options) ([]string, error) {
	if err := o.Check(); err != nil {
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
	root := path.Join("templates", string(o.Language))
	var written []string
	err := fs.WalkDir(templates, root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := templates.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, root+"/"), ".tmpl")
		if err := writeFile(dir, name, data); err != nil {
			return err
		}
		written = append(written, name)
		return nil
	})
	if err != nil {
		return written, err
	}
	name, data := settingsFile(o)
	if err := writeFile(dir, name, data); err != nil {
		return written, err
	}
	return append(written, name), nil
}

func writeFile(dir, name string, data []byte) error {
	target := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	return safefile.WriteBytes(target, data)
}

// settingsFile is the one generated file: the choices, never a secret (those come from the environment).
func settingsFile(o Options) (string, []byte) {
	kind := "sandbox"
	if o.Production {
		kind = "production"
	}
	return "settings.go", fmt.Appendf(nil, `package main

// Written by flinks-onboard backend. Generate the project again to change them, or edit them here.

// connectQuery is the Connect iframe's parameters; each page adds a fresh authorizeToken and the redirectUrl.
const connectQuery = %q

// environmentKind is "production" for a project generated for a production environment: it then refuses demo=true
// and Toolbox or loopback URLs (config.go).
const environmentKind = %q
`, o.ConnectQuery, kind)
}

func emptyOrAbsent(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("cannot read %s: %w", dir, err)
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty: choose a new or empty folder, so that no file of yours is replaced", dir)
	}
	return nil
}
