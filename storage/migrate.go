package storage

import (
	"fmt"
	"strings"

	"flinks-onboard/flinks"
)

// What older releases saved, brought up to date when the settings are read:
//   - labels, institutions and tags with control characters (saved before flinks.Printable was applied): cleaned on
//     every read (normalize), and written clean with the next change;
//   - API and iframe URLs with user info (http://user:password@host, accepted before flinks.ValidateBaseURL refused
//     it), in environments and in the keys of logins saved through an ad-hoc --api-url: the user info is dropped
//     (migrate). The keychain names derive from the URL, so the entries are renamed (keychainMove, journalled in the
//     settings file before the first one is copied), and the user is told once (Notice).

// Notice is something the user is to be told once; the front end that shows it first takes it (TakeNotices).
type Notice struct {
	Code    string `json:"code"`    // NoticeUserinfoDropped
	Subject string `json:"subject"` // the environment's name, without any password
}

// NoticeUserinfoDropped: an environment's URL had a user name and password before the host, which were dropped.
const NoticeUserinfoDropped = "userinfo-dropped"

// Text is the notice in English, for the command line (the GUI words it from Code and Subject).
func (n Notice) Text() string {
	switch n.Code {
	case NoticeUserinfoDropped:
		return fmt.Sprintf("The URL of %q had a user name and password before the host (user:password@), saved by an "+
			"older release. They were removed from the settings: Flinks takes its keys in headers, and the app keeps "+
			"them in the keychain. Its saved logins and keys keep working.", n.Subject)
	}
	return n.Code + ": " + n.Subject
}

// TakeNotices returns what the user is still to be told and records that it was told: the next call, in this
// process or another, returns none of them again.
func (st *Store) TakeNotices() []Notice {
	var out []Notice
	pending := false
	st.read(func(s *settings) { pending = len(s.Notices) > 0 })
	if !pending {
		return nil
	}
	_ = st.update(func(s *settings) error {
		out, s.Notices = s.Notices, nil
		if len(out) == 0 {
			return errNoChange
		}
		return nil
	})
	return out
}

// normalize cleans, in memory, what older releases saved unclean: texts shown in a terminal or a list get no
// control character.
func (s *settings) normalize() {
	for i := range s.Logins {
		l := &s.Logins[i]
		l.Label = flinks.Printable(l.Label, MaxLabelLength)
		l.Institution = flinks.Printable(l.Institution, flinks.MaxInstitutionLength)
		l.Tag = flinks.Printable(l.Tag, flinks.MaxTagLength)
	}
}

// withoutUserinfo drops the user info (user:password@) of the URL in text, wherever the URL starts: an API base,
// an environment key ("https://host|customerId") or an ad-hoc environment's name ("ad-hoc http://…").
func withoutUserinfo(text string) string {
	i := strings.Index(text, "://")
	if i < 0 {
		return text
	}
	start := i + 3
	end := len(text)
	if j := strings.IndexAny(text[start:], "/?#| "); j >= 0 {
		end = start + j
	}
	at := strings.LastIndexByte(text[start:end], '@')
	if at < 0 {
		return text
	}
	return text[:start] + text[start+at+1:]
}

// migrate drops the user info of old URLs (see the top of this file) and renames the keychain entries that follow
// from it. A keychain that does not answer leaves the renaming journalled; Repair, or the next start, finishes it.
func (st *Store) migrate() {
	legacy := false
	st.read(func(s *settings) { legacy = hasUserinfo(s) || len(s.Moves) > 0 })
	if !legacy {
		return
	}
	_ = st.update(func(s *settings) error {
		if !hasUserinfo(s) {
			return errNoChange
		}
		told := map[string]bool{}
		tell := func(subject string) {
			if !told[subject] {
				told[subject] = true
				s.Notices = append(s.Notices, Notice{Code: NoticeUserinfoDropped, Subject: subject})
			}
		}
		for i := range s.Environments {
			e := &s.Environments[i]
			if withoutUserinfo(e.APIBase) == e.APIBase && withoutUserinfo(e.IframeBase) == e.IframeBase {
				continue
			}
			oldKey := e.Key()
			e.APIBase, e.IframeBase = withoutUserinfo(e.APIBase), withoutUserinfo(e.IframeBase)
			if newKey := e.Key(); newKey != oldKey {
				for _, which := range []string{"secret-key", "x-api-key"} {
					s.Moves = append(s.Moves, keychainMove{From: "env/" + oldKey + "/" + which, To: "env/" + newKey + "/" + which})
				}
			}
			tell(e.Name)
		}
		for i := range s.Logins {
			l := &s.Logins[i]
			if withoutUserinfo(l.EnvKey) == l.EnvKey && withoutUserinfo(l.EnvName) == l.EnvName {
				continue
			}
			from := l.keychainName()
			l.EnvKey, l.EnvName = withoutUserinfo(l.EnvKey), withoutUserinfo(l.EnvName)
			if to := l.keychainName(); to != from {
				s.Moves = append(s.Moves, keychainMove{From: from, To: to})
			}
			tell(l.EnvName)
		}
		return nil
	})
	_, _ = st.finishMoves()
}

// hasUserinfo reports whether s holds a URL with user info that migrate drops.
func hasUserinfo(s *settings) bool {
	for _, e := range s.Environments {
		if withoutUserinfo(e.APIBase) != e.APIBase || withoutUserinfo(e.IframeBase) != e.IframeBase {
			return true
		}
	}
	for _, l := range s.Logins {
		if withoutUserinfo(l.EnvKey) != l.EnvKey || withoutUserinfo(l.EnvName) != l.EnvName {
			return true
		}
	}
	return false
}
