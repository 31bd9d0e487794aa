// Command clidocs writes flinks-onboard's command-line reference from its cobra commands (cli.NewCmdRoot): one
// Markdown page per command into DIR and one man page per command into DIR/man. `make docs` runs it with
// docs/cli; main_test.go fails when the checked-in pages differ from what it writes.
//
//	go run ./tools/clidocs DIR
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"flinks-onboard/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: clidocs DIR (the folder for the Markdown pages; the man pages go to DIR/man)")
		os.Exit(2)
	}
	if err := generate(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "clidocs:", err)
		os.Exit(1)
	}
}

// generate writes the pages into dir and dir/man, removing the pages of commands that no longer exist.
func generate(dir string) error {
	root := rootCommand()
	manDir := filepath.Join(dir, "man")
	for _, d := range []string{dir, manDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		for _, pattern := range []string{"*.md", "*.1"} {
			old, _ := filepath.Glob(filepath.Join(d, pattern))
			for _, f := range old {
				if err := os.Remove(f); err != nil {
					return err
				}
			}
		}
	}
	if err := doc.GenMarkdownTree(root, dir); err != nil {
		return err
	}
	return genManTree(root, manDir)
}

// rootCommand is the command tree as a user meets it: with cobra's completion command, which cobra adds only when
// the root runs, and without cobra's "Auto generated … on DATE" line, so the pages change only when a command does.
func rootCommand() *cobra.Command {
	root := cli.NewCmdRoot(&cli.Deps{})
	root.InitDefaultCompletionCmd()
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		c.DisableAutoGenTag = true
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return root
}

// manDate stands for the date in a man page's .TH line, which doc.GenMan always fills (with today when given none);
// genManTree blanks it, since a page that changed date each day would always look stale.
var manDate = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// genManTree is doc.GenManTree with the date blanked: one page per available command, named as GenManTree names
// them (flinks-onboard-accounts.1).
func genManTree(cmd *cobra.Command, dir string) error {
	for _, c := range cmd.Commands() {
		if !c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand() {
			continue
		}
		if err := genManTree(c, dir); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	header := &doc.GenManHeader{Title: strings.ToUpper(strings.ReplaceAll(cmd.CommandPath(), " ", "-")), Section: "1",
		Date: &manDate, Source: "flinks-onboard", Manual: "Flinks Onboarding Assistant"}
	if err := doc.GenMan(cmd, header, &buf); err != nil {
		return err
	}
	date := fmt.Sprintf(`"%s"`, manDate.Format("Jan 2006"))
	page, n := bytes.Replace(buf.Bytes(), []byte(date), []byte(`""`), 1), bytes.Count(buf.Bytes(), []byte(date))
	if n != 1 {
		return fmt.Errorf("%s: found the date %s %d times in the man page, not once in its .TH line", cmd.CommandPath(), date, n)
	}
	name := strings.ReplaceAll(cmd.CommandPath(), " ", "-") + ".1"
	return os.WriteFile(filepath.Join(dir, name), page, 0o644)
}
