package onboard

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"flinks-onboard/flinks"
)

// Flinks describes every attribute in its Attributes Library (GET …/attributes/library and …/library/business,
// flinks.Client.GetAttributesLibrary). The app shows those words; its own wording (AttributeWording, in
// attribute_meanings.go) only for a name the library does not list or when the library cannot be read, and then
// marked as ours.

// libraryTTL: the library grows when Flinks adds attributes (its changelog), rarely; a day-old copy is fine.
const libraryTTL = 24 * time.Hour

// Description is what the app says an attribute means.
type Description struct {
	Text     string
	Category string // the library's category; empty for ours
	// Ours: the library had no entry (or could not be read) and Text is the app's wording, not Flinks'.
	Ours bool
}

// Descriptions are the Attributes Library's entries, by attribute name.
type Descriptions struct {
	byName map[string]Description
	// Err says why the library could not be read (nil when it was): every description is then ours.
	Err error
}

// Of describes name: Flinks' words when the library has it, the app's (in English) otherwise.
func (d Descriptions) Of(name string) Description {
	return d.OfIn(name, EnglishAttributeWording)
}

// OfIn is Of with the app's own wording in another language (the GUI's French): Flinks' words stay as Flinks
// wrote them.
func (d Descriptions) OfIn(name string, ours AttributeWording) Description {
	if e, ok := d.byName[strings.ToLower(name)]; ok {
		return e
	}
	return Description{Text: ours.Meaning(name), Ours: true}
}

// Len is how many attributes the library described.
func (d Descriptions) Len() int { return len(d.byName) }

// libraryCache keeps each environment's library for libraryTTL; the zero value is ready.
type libraryCache struct {
	mu      sync.Mutex
	entries map[string]cachedLibrary
}

type cachedLibrary struct {
	byName map[string]Description
	read   time.Time
}

// libraryKey names an environment's library: the same name may point at another instance after an edit.
func libraryKey(env flinks.Environment) string {
	return env.Name + "\x00" + env.APIBase + "\x00" + env.Instance + "\x00" + env.CustomerID
}

// AttributeDescriptions reads the consumer and business libraries of the session's environment, or takes them from
// the App's cache when read in the last day. A failure is kept in Descriptions.Err, not returned: the attributes
// are worth showing with the app's own wording.
func (s *Session) AttributeDescriptions(ctx context.Context) Descriptions {
	c, err := s.client()
	if err != nil {
		return Descriptions{Err: err}
	}
	cache, key := &s.app.library, libraryKey(s.Env)
	cache.mu.Lock()
	if e, ok := cache.entries[key]; ok && time.Since(e.read) < libraryTTL {
		cache.mu.Unlock()
		return Descriptions{byName: e.byName}
	}
	cache.mu.Unlock()
	byName := map[string]Description{}
	var errs []error
	for _, business := range []bool{false, true} {
		lib, err := c.GetAttributesLibrary(ctx, business)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, cat := range lib {
			for _, a := range cat.Attributes {
				k := strings.ToLower(strings.TrimSpace(a.Name))
				if _, dup := byName[k]; k != "" && strings.TrimSpace(a.Description) != "" && !dup {
					byName[k] = Description{Text: strings.TrimSpace(a.Description), Category: cat.Category}
				}
			}
		}
	}
	if len(errs) == 2 {
		return Descriptions{Err: errors.Join(errs...)}
	}
	// One library read is enough to show Flinks' words; the other is asked again next time.
	if len(errs) == 0 {
		cache.mu.Lock()
		if cache.entries == nil {
			cache.entries = map[string]cachedLibrary{}
		}
		cache.entries[key] = cachedLibrary{byName: byName, read: time.Now()}
		cache.mu.Unlock()
	}
	return Descriptions{byName: byName, Err: errors.Join(errs...)}
}
