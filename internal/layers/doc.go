// Package layers holds the tests of the layer rules of docs/design.md: which package may import which
// (imports_test.go, read from the table in docs/design.md) and which methods the front ends may not call
// (calls_test.go). It has no code of its own.
package layers
