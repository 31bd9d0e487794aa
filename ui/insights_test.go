package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

// chooseSet selects a package in the Insights tab by its endpoint.
func chooseSet(a *accountsScreen, set flinks.AttributeSet) {
	withUI(func() { a.insights.set.SetSelected(attributeSetName(set)) })
}

// openInsights opens the Insights tab of the offline demo with greatday_nomfa's loginId typed in.
func openInsights(t *testing.T) (*shell, *accountsScreen) {
	t.Helper()
	s, logins := newDemoShell(t, 0)
	a := openAccounts(t, s)
	typeText(a.loginID, logins["greatday_nomfa"])
	withUI(func() { a.tabs.SelectIndex(1) })
	return s, a
}

// User Analysis in the GUI: Flinks' descriptions, AttributesDetail never a row, and selecting an attribute shows the
// transactions behind it.
func TestInsightsUserAnalysisShowsTransactionsBehindAnAttribute(t *testing.T) {
	t.Parallel()
	s, a := openInsights(t)
	chooseSet(a, flinks.AttributesUserAnalysis)
	withUI(func() { a.insights.fetch() })
	waitFor(t, "the insights", func() bool { return len(a.insights.rows) > 0 || a.insights.errors.box.Visible() })
	v := a.insights
	var payroll = -1
	withUI(func() {
		for i, r := range v.rows {
			if r.heading != "" {
				continue
			}
			if strings.EqualFold(r.attr.Name, "AttributesDetail") {
				t.Errorf("AttributesDetail is a row")
			}
			if d := attributeDescription(r); strings.Contains(d, "our wording") || d == "" {
				t.Errorf("%s: %q, want Flinks' description", r.attr.Name, d)
			}
			if r.attr.IsNoneDetected() && attributeValueText(r.attr) != "none detected" {
				t.Errorf("%s shown as %q", r.attr.Name, attributeValueText(r.attr))
			}
			if r.attr.Name == "average_monthly_payroll_deposits_biz" {
				payroll = i
			}
		}
	})
	if payroll < 0 {
		t.Fatal("no average_monthly_payroll_deposits_biz row")
	}
	withUI(func() { v.list.Select(payroll) })
	txt := onUIValue(func() string { return dialogText(s.win.Canvas().Overlays().Top()) })
	if !strings.Contains(txt, "Transactions behind average_monthly_payroll_deposits_biz") {
		t.Errorf("the dialog says %q", txt)
	}
	var lines int
	withUI(func() {
		for _, o := range s.win.Canvas().Overlays().List() {
			for _, x := range test.LaidOutObjects(o) {
				if l, ok := x.(*widget.Label); ok && strings.Contains(l.Text, "balance") {
					lines++
				}
			}
		}
	})
	if lines == 0 {
		t.Error("no transaction with its balance in the dialog")
	}
}

// A custom list needs names, and the days are checked before anything is sent.
func TestInsightsCustomListAndDays(t *testing.T) {
	t.Parallel()
	_, a := openInsights(t)
	v := a.insights
	chooseSet(a, flinks.AttributesCustom)
	if !onUIValue(func() bool { return v.names.Visible() }) {
		t.Fatal("no names field for the custom list")
	}
	withUI(func() { v.fetch() })
	if !onUIValue(func() bool { return v.errors.box.Visible() }) {
		t.Error("a custom list without names was sent")
	}
	typeText(v.names, "count_nsf_90_days, employer_name")
	typeText(v.limit, "400")
	withUI(func() { v.fetch() })
	if !onUIValue(func() bool { return v.errors.box.Visible() && len(v.rows) == 0 }) {
		t.Error("400 days were accepted")
	}
	withUI(func() { v.limit.SetText("30") })
	withUI(func() { v.fetch() })
	waitFor(t, "the custom list", func() bool { return len(v.rows) > 0 || v.errors.box.Visible() })
	names := onUIValue(func() []string {
		var out []string
		for _, r := range v.rows {
			if r.heading == "" {
				out = append(out, r.attr.Name)
			}
		}
		return out
	})
	if strings.Join(names, ",") != "count_nsf_90_days,employer_name" {
		t.Errorf("rows %v", names)
	}
}
