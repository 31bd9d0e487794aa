// Package storage keeps the app's state: secrets in the OS keychain (through go-keyring, every call bounded by a
// timeout) and everything else in a settings file that never holds a secret. It never imports Fyne.
package storage

import (
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keychain service name under which every entry of the app is stored.
const Service = "flinks-onboard"

// DefaultKeychainTimeout bounds every keychain call: a locked or absent Secret Service must never freeze the window.
const DefaultKeychainTimeout = 3 * time.Second

// maxSecretLen is the largest secret stored in one entry (Windows caps an entry at 2560 bytes).
const maxSecretLen = 2560

// ErrNotFound means the keychain has no entry under that name.
var ErrNotFound = errors.New("not found in the system keychain")

// ErrKeychainUnavailable means the keychain did not answer or refused: it is locked, absent, or timed out.
var ErrKeychainUnavailable = errors.New("the system keychain is locked or unavailable")

// KeychainError says which operation failed and why, and what the user can do about it.
type KeychainError struct {
	Op    string // "save", "read", "delete"
	Cause error  // the provider's error, or a timeout; never contains the secret
}

func (e *KeychainError) Error() string {
	return fmt.Sprintf("The system keychain is locked or unavailable (%s failed: %v). Unlock your keychain "+
		"(log in to the desktop session, or start gnome-keyring / KWallet / macOS Keychain Access) and try again; "+
		"nothing was lost", e.Op, e.Cause)
}

func (e *KeychainError) Unwrap() error { return ErrKeychainUnavailable }

// Keychain stores one secret per name. The OS implementation is OSKeychain; tests may use go-keyring's mock.
type Keychain interface {
	Set(name, secret string) error
	Get(name string) (string, error)
	Delete(name string) error
}

// Lister is a keychain that can name its entries (OSKeychain on Linux). Repair uses it to find entries that no
// saved login names; a keychain without it, or whose List returns ErrListUnsupported, is not searched.
type Lister interface {
	List() ([]string, error)
}

// ErrListUnsupported means the keychain cannot list its entries on this system.
var ErrListUnsupported = errors.New("this system's keychain cannot list its entries")

// OSKeychain is the real OS keychain (Secret Service, macOS Keychain, Windows Credential Manager).
type OSKeychain struct {
	Timeout time.Duration // zero means DefaultKeychainTimeout
}

// Set stores secret under name.
func (k OSKeychain) Set(name, secret string) error {
	if len(secret) > maxSecretLen {
		return fmt.Errorf("a secret of %d bytes is too long for the system keychain (at most %d)", len(secret), maxSecretLen)
	}
	_, err := k.call("save", func() (string, error) { return "", keyring.Set(Service, name, secret) })
	return err
}

// Get reads the secret stored under name; ErrNotFound if there is none.
func (k OSKeychain) Get(name string) (string, error) {
	return k.call("read", func() (string, error) { return keyring.Get(Service, name) })
}

// Delete removes the entry; deleting a missing entry is not an error.
func (k OSKeychain) Delete(name string) error {
	_, err := k.call("delete", func() (string, error) { return "", keyring.Delete(Service, name) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// call runs op with a deadline. go-keyring has no context: on a timeout the call goes on in the background and its
// result is dropped, but the caller (and the window) is released at once.
func (k OSKeychain) call(op string, f func() (string, error)) (string, error) {
	timeout := k.Timeout
	if timeout <= 0 {
		timeout = DefaultKeychainTimeout
	}
	type result struct {
		v   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		switch {
		case r.err == nil:
			return r.v, nil
		case errors.Is(r.err, keyring.ErrNotFound):
			return "", ErrNotFound
		default:
			return "", &KeychainError{Op: op, Cause: r.err}
		}
	case <-time.After(timeout):
		return "", &KeychainError{Op: op, Cause: fmt.Errorf("no answer within %s", timeout)}
	}
}
