// Package layers holds the tests of the layer rules of docs/design.md: which package may import which
// (imports_test.go, read from the table in docs/design.md), which methods the front ends may not call
// (calls_test.go), and that no screen of the GUI takes the whole shell (screens_test.go). It has no code of its own.
package layers
