package simulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

type statementsBody struct {
	HttpStatusCode      int
	RequestId           string
	StatementsByAccount []struct {
		AccountNumber string
		Statements    []struct{ UniqueId, FileType, Base64Bytes string }
	}
}

func decodeStatements(t *testing.T, a answer) statementsBody {
	t.Helper()
	a.expect(t, 200, "")
	var b statementsBody
	if err := json.Unmarshal(a.raw, &b); err != nil {
		t.Fatal(err)
	}
	return b
}

// pdfToText runs poppler's pdftotext on pdf, keeping the layout so that a row stays on one line.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext is needed to check that the statements are real PDFs: install poppler-utils "+
			"(apt-get install poppler-utils): %v", err)
	}
	path := filepath.Join(t.TempDir(), "statement.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext refused the statement: %v\n%s", err, out)
	}
	return string(out)
}

// amountText formats a JSON amount as the statement prints it: 1,234.56.
func amountText(x float64) string {
	c := cents(x)
	s := strconv.FormatInt(c/100, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return fmt.Sprintf("%s.%02d", s, abs(c%100))
}

func TestStatementsArePDFsOfTheMonthsTransactions(t *testing.T) {
	h := newHarness(t, Options{Transactions: 400})
	login := h.loginID("greatday_nomfa")
	rid := h.cachedRequestID(login)
	detail := decodeDetail(t, h.data(http.MethodPost, "GetAccountsDetail",
		map[string]any{"RequestId": rid, "DaysOfTransactions": "Days365"}))
	st := decodeStatements(t, h.data(http.MethodPost, "GetStatements",
		map[string]any{"RequestId": rid, "NumberOfStatements": "Months3"}))
	if st.RequestId != rid || len(st.StatementsByAccount) != len(detail.Accounts) {
		t.Fatalf("RequestId %q, %d accounts with statements, want %q and %d", st.RequestId,
			len(st.StatementsByAccount), rid, len(detail.Accounts))
	}
	// The clock is 2026-03-14: Months3 is December, January and February, newest first.
	months := []string{"2026-02", "2026-01", "2025-12"}
	seen := map[string]bool{}
	for i, byAccount := range st.StatementsByAccount {
		acc := detail.Accounts[i]
		if acc.AccountNumber == nil || byAccount.AccountNumber != *acc.AccountNumber {
			t.Fatalf("statements of account %d are for %q, want %v", i, byAccount.AccountNumber, acc.AccountNumber)
		}
		if len(byAccount.Statements) != 3 {
			t.Fatalf("account %s has %d statements, want 3", byAccount.AccountNumber, len(byAccount.Statements))
		}
		for j, s := range byAccount.Statements {
			if s.FileType != "PDF" || !regexp.MustCompile(`^[0-9A-F]{32}$`).MatchString(s.UniqueId) || seen[s.UniqueId] {
				t.Fatalf("statement %+v: want FileType PDF and a new 32-hex-digit UniqueId", s.FileType+" "+s.UniqueId)
			}
			seen[s.UniqueId] = true
			pdf, err := base64.StdEncoding.DecodeString(s.Base64Bytes)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("statement does not start with %%PDF-: %q", pdf[:min(20, len(pdf))])
			}
			text := pdfToText(t, pdf)
			lines := strings.Split(text, "\n")
			var n int
			var closing *float64
			for _, tx := range acc.Transactions { // newest first
				if !strings.HasPrefix(tx.Date, months[j]) {
					continue
				}
				if closing == nil {
					b := tx.Balance
					closing = &b
				}
				n++
				amount := tx.Credit
				if tx.Debit != nil {
					amount = tx.Debit
				}
				found := false
				for _, l := range lines {
					if strings.Contains(l, tx.Date) && strings.Contains(l, tx.Description) &&
						strings.Contains(l, amountText(*amount)) && strings.Contains(l, amountText(tx.Balance)) {
						found = true
						break
					}
				}
				if !found {
					t.Fatalf("statement %s of %s lacks the row %s %q %s (balance %s):\n%s", months[j],
						byAccount.AccountNumber, tx.Date, tx.Description, amountText(*amount), amountText(tx.Balance), text)
				}
			}
			if n == 0 && !strings.Contains(text, "No transactions this period.") {
				t.Errorf("statement %s of %s: no transactions and no word of it:\n%s", months[j], byAccount.AccountNumber, text)
			}
			if closing != nil && !regexp.MustCompile(`Closing balance\s+`+regexp.QuoteMeta(amountText(*closing))).MatchString(text) {
				t.Errorf("statement %s of %s: closing balance %s missing:\n%s", months[j], byAccount.AccountNumber,
					amountText(*closing), text)
			}
			if !strings.Contains(text, "Opening balance on "+months[j]+"-01") {
				t.Errorf("statement %s: no opening balance:\n%s", months[j], text)
			}
		}
	}
}

// TestStatementOpeningIsPreviousClosing: one month's closing balance is the next month's opening balance.
func TestStatementOpeningIsPreviousClosing(t *testing.T) {
	prof := generateProfile(0, "some-login")
	a := &prof.accounts[0]
	sts := accountStatements(a, prof.holder, "some-login", mustDate("2026-03-14"), 300, 12)
	for i := 0; i+1 < len(sts); i++ {
		if sts[i].opening != sts[i+1].closing {
			t.Fatalf("%s opens at %d but %s closed at %d", sts[i].start, sts[i].opening, sts[i+1].start, sts[i+1].closing)
		}
		sum := sts[i].opening
		for _, tx := range sts[i].transactions {
			sum += tx.amount
		}
		if sum != sts[i].closing {
			t.Fatalf("%s: opening plus transactions is %d, closing %d", sts[i].start, sum, sts[i].closing)
		}
	}
}

func TestStatementsOptions(t *testing.T) {
	h := newHarness(t, Options{})
	rid := h.cachedRequestID(h.loginID("Greatday"))
	detail := decodeDetail(t, h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": rid}))
	target := detail.Accounts[1]

	st := decodeStatements(t, h.data(http.MethodPost, "GetStatements", map[string]any{"RequestId": rid,
		"AccountsFilter": []string{target.Id}}))
	if len(st.StatementsByAccount) != 1 || st.StatementsByAccount[0].AccountNumber != *target.AccountNumber {
		t.Fatalf("AccountsFilter [%s] gave %+v", target.Id, st.StatementsByAccount)
	}
	if n := len(st.StatementsByAccount[0].Statements); n != 1 {
		t.Fatalf("the default NumberOfStatements (MostRecent) gave %d statements, want 1", n)
	}
	st = decodeStatements(t, h.data(http.MethodPost, "GetStatements", map[string]any{"RequestId": rid,
		"NumberOfStatements": "Months12", "AccountsFilter": []string{*target.AccountNumber}}))
	if len(st.StatementsByAccount) != 1 || len(st.StatementsByAccount[0].Statements) != 12 {
		t.Fatalf("Months12 filtered by account number gave %+v", st.StatementsByAccount)
	}

	h.data(http.MethodPost, "GetStatements", map[string]any{"RequestId": rid, "NumberOfStatements": "Months6"}).
		expect(t, 401, codeInvalidRequest)
	h.data(http.MethodPost, "GetStatements", map[string]any{"RequestId": "nope"}).expect(t, 400, codeSessionNonexistent)
	a := h.data(http.MethodGet, "GetStatements", nil)
	a.expect(t, 405, codeMethodNotAllowed)
	if a.header.Get("Allow") != "POST" {
		t.Errorf("Allow: %q, want POST", a.header.Get("Allow"))
	}
	h.request(http.MethodPost, h.url("GetStatements"), nil, map[string]any{"RequestId": rid}).expect(t, 401, codeUnauthorized)
}

func TestStatementsWaitForTheData(t *testing.T) {
	h := newHarness(t, Options{Readiness: time.Minute})
	rid := h.cachedRequestID(h.loginID("greatday_nomfa"))
	a := h.data(http.MethodPost, "GetStatements", map[string]any{"RequestId": rid})
	a.expect(t, 202, codeOperationPending)
	if len(links(a)) != 0 {
		t.Errorf("the 202 links %v, but Flinks documents no Async endpoint for statements", links(a))
	}
	h.clock.Advance(time.Minute)
	decodeStatements(t, h.data(http.MethodPost, "GetStatements", map[string]any{"RequestId": rid}))
}

// TestPDFCrossReference checks the file structure a strict reader relies on: every xref entry points at its object.
func TestPDFCrossReference(t *testing.T) {
	pdf := writePDF("t (1)", []pdfPage{{{x: 50, y: 700, size: 10, text: `Café (à) \ done`}}, {{x: 1, y: 2, size: 3, text: "2"}}})
	start := bytes.LastIndex(pdf, []byte("startxref\n"))
	xref, err := strconv.Atoi(strings.Fields(string(pdf[start+len("startxref\n"):]))[0])
	if err != nil || !bytes.HasPrefix(pdf[xref:], []byte("xref\n")) {
		t.Fatalf("startxref does not point at the xref table (%v)", err)
	}
	lines := strings.Split(string(pdf[xref:]), "\n")
	n, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	for i := 1; i < n; i++ {
		entry := lines[2+i]
		if len(entry) != 19 { // 20 bytes with the newline
			t.Fatalf("xref entry %q is not 20 bytes", entry)
		}
		off, _ := strconv.Atoi(entry[:10])
		if want := fmt.Sprintf("%d 0 obj", i); !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Fatalf("xref entry %d points at %q", i, pdf[off:off+10])
		}
	}
	if text := pdfToText(t, pdf); !strings.Contains(text, `Café (à) \ done`) {
		t.Fatalf("pdftotext read %q", text)
	}
}
