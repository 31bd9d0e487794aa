// Package realkeychain holds only tests: they run storage.OSKeychain against the machine's real Secret Service
// (make test starts a private one). They live apart from package storage because go-keyring's MockInit, which
// storage's own tests use, replaces the provider for a whole test binary.
package realkeychain
