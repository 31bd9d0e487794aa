package flinks

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const eventTestLoginID = "9f8e7d6c-5b4a-4321-8fed-cba987654321"

func TestParseConnectEvent(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  ConnectEvent // Raw is not compared
		bad   bool
	}{
		{"object", `{"step":"INSTITUTION_SELECTED","institution":"FlinksCapital"}`,
			ConnectEvent{Step: "INSTITUTION_SELECTED", Institution: "FlinksCapital"}, false},
		{"newer REDIRECT", `{"step":"REDIRECT","loginId":"` + eventTestLoginID + `","requestId":"r-1","institution":"FlinksCapital"}`,
			ConnectEvent{Step: "REDIRECT", LoginID: eventTestLoginID, RequestID: "r-1", Institution: "FlinksCapital"}, false},
		{"JSON string (stringify=true)", `"{\"step\":\"SUBMIT_MFA\"}"`, ConnectEvent{Step: "SUBMIT_MFA"}, false},
		{"error event", `{"step":"INVALID_PASSWORD","flinksCode":"INVALID_PASSWORD","requestId":"r-2"}`,
			ConnectEvent{Step: "INVALID_PASSWORD", FlinksCode: "INVALID_PASSWORD", RequestID: "r-2"}, false},
		{"other spellings and spaces", " {\"Step\":\" redirect \",\"LoginID\":\"" + eventTestLoginID + "\",\"URL\":\"https://x\"}\n",
			ConnectEvent{Step: "REDIRECT", LoginID: eventTestLoginID, URL: "https://x"}, false},
		{"a number where text is expected", `{"step":"COMPONENT_LOAD_ACCOUNT_SELECTION","requestId":12}`,
			ConnectEvent{Step: "COMPONENT_LOAD_ACCOUNT_SELECTION", RequestID: "12"}, false},
		{"an object where text is expected", `{"step":"APP_MOUNTED","institution":{"id":1}}`, ConnectEvent{Step: "APP_MOUNTED"}, false},
		{"no step", `{"loginId":"` + eventTestLoginID + `"}`, ConnectEvent{}, true},
		{"empty step", `{"step":"  "}`, ConnectEvent{}, true},
		{"step not text", `{"step":true}`, ConnectEvent{}, true},
		{"array", `[{"step":"REDIRECT"}]`, ConnectEvent{}, true},
		{"number", `42`, ConnectEvent{}, true},
		{"null", `null`, ConnectEvent{}, true},
		{"empty", ``, ConnectEvent{}, true},
		{"string of a string", `"\"{}\""`, ConnectEvent{}, true},
		{"broken string", `"{\"step\"`, ConnectEvent{}, true},
		{"broken object", `{"step":"REDIRECT"`, ConnectEvent{}, true},
		{"two objects", `{"step":"A"}{"step":"B"}`, ConnectEvent{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConnectEvent([]byte(tt.input))
			if tt.bad {
				if err == nil || !errors.Is(err, ErrNotConnectEvent) {
					t.Fatalf("ParseConnectEvent = %+v, %v; want ErrNotConnectEvent", got, err)
				}
				if strings.Contains(err.Error(), eventTestLoginID) {
					t.Errorf("the error quotes the input: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Raw == nil {
				t.Error("Raw is empty")
			}
			if eventFields(got) != eventFields(tt.want) {
				t.Errorf("ParseConnectEvent = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// eventFields are the named fields of an event, comparable with != (Raw is a map).
func eventFields(e ConnectEvent) [6]string {
	return [6]string{e.Step, e.Institution, e.FlinksCode, e.RequestID, e.LoginID, e.URL}
}

func TestConnectEventLoginIDFromEvent(t *testing.T) {
	tests := []struct {
		name  string
		event ConnectEvent
		want  string
	}{
		{"field", ConnectEvent{Step: StepRedirect, LoginID: eventTestLoginID}, eventTestLoginID},
		{"url", ConnectEvent{Step: StepRedirect, URL: "https://example.com/done?loginId=" + eventTestLoginID + "&institution=FlinksCapital"}, eventTestLoginID},
		{"field wins over url", ConnectEvent{Step: StepRedirect, LoginID: eventTestLoginID, URL: "https://example.com/?loginId=other"}, eventTestLoginID},
		{"url without loginId", ConnectEvent{Step: StepRedirect, URL: "https://example.com/done?institution=FlinksCapital"}, ""},
		{"unparsable url", ConnectEvent{Step: StepRedirect, URL: "://%zz"}, ""},
		{"nothing", ConnectEvent{Step: StepRedirect}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.event.LoginIDFromEvent()
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("LoginIDFromEvent = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}

func TestConnectEventIsTerminal(t *testing.T) {
	tests := map[string]bool{
		StepMaximumRetryReached: true, StepDenyConsent: true, StepDenyTerms: true, StepCloseSession: true,
		StepRedirect: false, "APP_MOUNTED": false, "INVALID_PASSWORD": false, StepPopupBlocked: false, "": false,
	}
	for step, want := range tests {
		if got := (ConnectEvent{Step: step}).IsTerminal(); got != want {
			t.Errorf("IsTerminal(%q) = %v, want %v", step, got, want)
		}
	}
}

func TestConnectEndedErrorMessages(t *testing.T) {
	seen := map[string]string{}
	for _, step := range []string{StepMaximumRetryReached, StepDenyConsent, StepDenyTerms, StepCloseSession} {
		message := (&ConnectEndedError{Step: step}).Error()
		if !strings.Contains(message, step) || !strings.Contains(message, "start again") {
			t.Errorf("%s: %q should name the step and say what to do", step, message)
		}
		if other, dup := seen[message]; dup {
			t.Errorf("%s and %s share the message %q", step, other, message)
		}
		seen[message] = step
	}
}

func TestConnectEventDescribe(t *testing.T) {
	tests := []struct {
		name    string
		event   ConnectEvent
		want    []string
		without string
	}{
		{"REDIRECT masks the loginId", ConnectEvent{Step: StepRedirect, LoginID: eventTestLoginID, Institution: "FlinksCapital"},
			[]string{"Finished", Mask(eventTestLoginID), "FlinksCapital"}, eventTestLoginID},
		{"older REDIRECT reads the url", ConnectEvent{Step: StepRedirect, URL: "https://x/?loginId=" + eventTestLoginID + "&institution=FlinksCapital"},
			[]string{Mask(eventTestLoginID), "FlinksCapital"}, eventTestLoginID},
		{"pop-up blocked says what to do", ConnectEvent{Step: StepPopupBlocked}, []string{"allow pop-ups"}, ""},
		{"error code", ConnectEvent{Step: "RETRY_LATER", FlinksCode: "RETRY_LATER"}, []string{"could not be reached"}, "[RETRY_LATER]"},
		{"a code that differs from the step", ConnectEvent{Step: "COMPONENT_LOAD_CREDENTIAL_RETRY", FlinksCode: "INVALID_PASSWORD"},
			[]string{"again", "[INVALID_PASSWORD]"}, ""},
		{"unknown step", ConnectEvent{Step: "SOMETHING_NEW"}, []string{"Connect event SOMETHING_NEW"}, ""},
		{"long institution is clipped", ConnectEvent{Step: "INSTITUTION_SELECTED", Institution: strings.Repeat("b", 500)},
			[]string{"Institution chosen", "…"}, strings.Repeat("b", 81)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.event.Describe()
			for _, want := range tt.want {
				if !strings.Contains(got, want) {
					t.Errorf("Describe = %q, lacks %q", got, want)
				}
			}
			if tt.without != "" && strings.Contains(got, tt.without) {
				t.Errorf("Describe = %q, should not contain %q", got, tt.without)
			}
		})
	}
}

func FuzzParseConnectEvent(f *testing.F) {
	for _, seed := range []string{
		`{"step":"REDIRECT","loginId":"` + eventTestLoginID + `","requestId":"r","institution":"FlinksCapital"}`,
		`{"step":"REDIRECT","institution":"FlinksCapital","url":"https://x/?loginId=` + eventTestLoginID + `"}`,
		`"{\"step\":\"APP_MOUNTED\"}"`,
		`{"step":"INVALID_PASSWORD","flinksCode":"INVALID_PASSWORD","requestId":7}`,
		`{"STEP":"a","step":"b","Step":"c"}`,
		`[]`, `""`, `{}`, `null`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		event, err := ParseConnectEvent(data)
		if err != nil {
			if !errors.Is(err, ErrNotConnectEvent) {
				t.Fatalf("error %v does not wrap ErrNotConnectEvent", err)
			}
			return
		}
		if event.Step == "" || event.Step != strings.ToUpper(event.Step) || event.Raw == nil {
			t.Fatalf("accepted an event without a normalised step: %+v", event)
		}
		// What was parsed must survive a round trip through Raw: the relay re-sends events as JSON.
		again, err := json.Marshal(event.Raw)
		if err != nil {
			t.Fatalf("Raw does not marshal: %v", err)
		}
		reparsed, err := ParseConnectEvent(again)
		if err != nil {
			t.Fatalf("re-parsing %s: %v", again, err)
		}
		if eventFields(reparsed) != eventFields(event) {
			t.Fatalf("round trip changed the event: %+v became %+v", event, reparsed)
		}
		_, _ = event.LoginIDFromEvent()
		_ = event.IsTerminal()
		_ = event.Describe()
	})
}
