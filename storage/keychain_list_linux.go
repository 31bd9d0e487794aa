//go:build linux

package storage

import (
	"fmt"
	"strings"

	ss "github.com/zalando/go-keyring/secret_service"
)

// List names every entry of the app's service in the Secret Service (go-keyring has no listing of its own; its
// secret_service package reaches the same collection its Get and Set use). Repair needs it to find keychain entries
// that no saved login names (storage/repair.go).
func (k OSKeychain) List() ([]string, error) {
	joined, err := k.call("list", func() (string, error) {
		svc, err := ss.NewSecretService()
		if err != nil {
			return "", err
		}
		collection := svc.GetLoginCollection()
		if err := svc.Unlock(collection.Path()); err != nil {
			return "", err
		}
		items, err := svc.SearchItems(collection, map[string]string{"service": Service})
		if err != nil {
			return "", err
		}
		var names []string
		for _, item := range items {
			v, err := svc.Object("org.freedesktop.secrets", item).GetProperty("org.freedesktop.Secret.Item.Attributes")
			if err != nil {
				return "", err
			}
			attrs, ok := v.Value().(map[string]string)
			if !ok {
				return "", fmt.Errorf("unexpected attributes %T of %s", v.Value(), item)
			}
			if name := attrs["username"]; name != "" {
				names = append(names, name)
			}
		}
		return strings.Join(names, "\n"), nil
	})
	if err != nil || joined == "" {
		return nil, err
	}
	return strings.Split(joined, "\n"), nil
}
