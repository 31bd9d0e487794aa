package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// BenchmarkTransactionsFirstFrame measures the time from an account's transactions to the first rendered frame of
// the transactions table (filter, sort and the visible rows drawn), at 1,000 and 100,000 transactions.
func BenchmarkTransactionsFirstFrame(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			newTestApp()
			v := newTransactionsView(&focusScroll{})
			w := test.NewWindow(v.box)
			defer w.Close()
			w.Resize(fyne.NewSize(900, 600))
			txs := bigDetail(n).Accounts[0].Transactions
			canvas := w.Canvas().(test.WindowlessCanvas)
			b.ReportAllocs()
			for b.Loop() {
				v.set(txs)
				canvas.Capture()
			}
		})
	}
}
