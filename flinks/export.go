package flinks

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// exportable is d as an export shows it: the loginId always masked (it is a credential, not data), the account
// numbers masked unless reveal.
func exportable(d *AccountsDetail, reveal bool) *AccountsDetail {
	if !reveal {
		return d.MaskAccountNumbers()
	}
	c := *d
	if d.Login != nil {
		login := *d.Login
		login.Id = Mask(login.Id)
		c.Login = &login
	}
	return &c
}

// WriteAccountsJSON writes the accounts as Flinks sent them (Flinks' own field names and values), with account
// numbers masked unless reveal is set and the loginId always masked.
func WriteAccountsJSON(w io.Writer, d *AccountsDetail, reveal bool) error {
	d = exportable(d, reveal)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// csvHeader is the header of WriteTransactionsCSV: one line per transaction, with its account.
var csvHeader = []string{"AccountId", "AccountTitle", "AccountNumber", "Currency", "TransactionId", "Date",
	"Description", "Code", "Debit", "Credit", "Balance"}

// WriteTransactionsCSV writes every transaction of every account as CSV, account numbers masked unless reveal.
func WriteTransactionsCSV(w io.Writer, d *AccountsDetail, reveal bool) error {
	d = exportable(d, reveal)
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, a := range d.Accounts {
		for _, t := range a.Transactions {
			row := []string{a.Id, a.Title, a.AccountNumber, a.Currency, t.Id, t.Date, t.Description, t.Code,
				FormatAmount(t.Debit), FormatAmount(t.Credit), strconv.FormatFloat(t.Balance, 'f', 2, 64)}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// FormatAmount prints a nullable amount with two decimals, or nothing for null.
func FormatAmount(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 2, 64)
}

// MaskedNumber shows an account by its last four digits only: the full number is a secret.
func (a Account) MaskedNumber() string {
	if a.LastFourDigits != "" {
		return "••••" + a.LastFourDigits
	}
	return Mask(a.AccountNumber)
}
