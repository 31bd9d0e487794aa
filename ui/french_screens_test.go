package ui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
)

// demoData are the texts of the offline demo's data shown as Flinks gives them: test users and the test bank, the
// bank's account names and security questions, the label of the test's saved login, Connect's language codes and
// colours, masked ids, and the product key a saved login records.
var demoData = regexp.MustCompile(`^(` + strings.Join([]string{
	`test_[a-z_]+`, `greatday(_nomfa)?`, `Greatday`, `FlinksCapital`, `en`, `fr`, `#[0-9A-F]{6}`, `•+[0-9a-f]+`, `Bob`,
	`What .*\?`, `(US Dollar )?Chequing`, `TFSA Savings`, `connect`,
	`[A-Za-z ]+ · (Operations|Investments) · [A-Z]{3} · •+[0-9]+`, `FlinksCapital · connect · •+[0-9a-f]+`,
}, "|") + `)$`)

// TestEveryScreenIsFrenchInFrench renders, in French, the screens TestMyScreensAreFrenchInFrench does not: Link
// (each product's form), Accounts after a fetch and its Insights and Statements tabs, Saved logins with a login
// selected, the security-question dialog, the go-live details of every item after a run against the offline demo,
// and the environment form showing a validation error. Not parallel: it changes the process's language.
func TestEveryScreenIsFrenchInFrench(t *testing.T) {
	if err := applyLanguage("fr"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = applyLanguage(""); _ = lang.AddTranslationsFS(assets.Translations, "translations") })
	french := frenchText(t)
	check := frenchCheck(t, func(text string) bool { return french(text) || demoData.MatchString(strings.TrimSpace(text)) })
	s, logins := newDemoShell(t, 50*time.Millisecond)
	overlays := func(where string) {
		t.Helper()
		withUI(func() {
			for _, o := range s.win.Canvas().Overlays().List() {
				check(where, o)
			}
		})
	}

	for _, p := range flinks.Products {
		withUI(func() {
			s.setProduct(p)
			s.goTo(pageLink)
			check("Link "+string(p), s.win.Content())
		})
	}
	// Connect with every remark the options can draw, then with values Flinks would refuse.
	withUI(func() {
		s.setProduct(flinks.ProductConnect)
		s.goTo(pageLink)
		l := s.linkScreen()
		l.demo.SetChecked(false)
		l.consent.SetChecked(false)
		l.oauthRedirect.SetChecked(false)
		l.background.SetText("not-a-colour")
		l.customerName.SetText(strings.Repeat("x", 200))
		l.tag.SetText(strings.Repeat("t", flinks.MaxTagLength+1))
		l.updatePreview()
		if strings.Count(l.warnings.Text, "\n") < 2 {
			t.Errorf("the Connect remarks are missing: %q", l.warnings.Text)
		}
		l.launch()
		if l.errors.message.Text == "" {
			t.Error("no refusal shown for the invalid Connect options")
		}
		check("Link with remarks and invalid options", s.win.Content())
	})

	a := openAccounts(t, s)
	typeText(a.loginID, logins["greatday_nomfa"])
	tap(a.fetchBtn)
	waitFor(t, "the accounts", func() bool { return a.detail != nil })
	withUI(func() {
		for i, name := range []string{"Accounts", "Insights", "Statements"} {
			a.tabs.SelectIndex(i)
			check(name, s.win.Content())
		}
		a.tabs.SelectIndex(0)
	})

	saveLogin(t, s, s.env, logins["greatday_nomfa"], "Bob")
	l := openLogins(t, s)
	withUI(func() {
		l.list.Select(0)
		check("Saved logins", s.win.Content())
	})

	ctx, cancel := context.WithCancel(context.Background())
	out := askMFA(ctx, s)
	waitFor(t, "the security questions", func() bool { e, _ := mfaAnswerEntries(s.win); return len(e) == 2 })
	overlays("Security questions")
	cancel()
	_ = waitMFA(t, out)

	g := openGoLive(t, s)
	runAllChecks(t, s, g)
	withUI(func() {
		summaries := 0
		for _, it := range g.report.Items() {
			if it.SummaryID != "" {
				summaries++
			}
			g.choose(it.ID)
			check("Go-live "+it.ID, s.win.Content())
		}
		if summaries == 0 {
			t.Error("the run gave no summary to check")
		}
	})
	// The results are saved, and shown again after a restart, still in French.
	s.writes.Wait()
	var again *shell
	withUI(func() { again = newShell(test.NewApp(), s.deps, doUI) })
	t.Cleanup(func() { withUI(again.win.Close); again.writes.Wait() })
	g2 := openGoLive(t, again)
	withUI(func() {
		for _, it := range g2.report.Items() {
			g2.choose(it.ID)
			check("Go-live after a restart "+it.ID, again.win.Content())
		}
	})

	withUI(func() {
		s.goTo(pageEnvironment)
		s.envScreen.startAdd()
	})
	e := s.envScreen
	typeText(&e.fields["customerId"].entry.Entry, "not-a-uuid")
	typeText(&e.fields["apiBase"].entry.Entry, "http://example.com")
	withUI(func() {
		e.save()
		if e.fields["customerId"].entry.Validate() == nil && e.formError.Text == "" {
			t.Error("no validation error shown")
		}
		check("Environment form with errors", s.win.Content())
	})
}
