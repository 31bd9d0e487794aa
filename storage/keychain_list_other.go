//go:build !linux

package storage

// List is not available here: macOS Keychain and Windows Credential Manager are reached through go-keyring, which
// cannot enumerate. Repair then says that it could not look for keychain entries no saved login names.
func (k OSKeychain) List() ([]string, error) { return nil, ErrListUnsupported }
