package golive

import (
	"reflect"
	"testing"

	"flinks-onboard/flinks"
)

func TestReportCloneIsDeep(t *testing.T) {
	r := NewReport(ChecklistOptions{Env: flinks.Toolbox(), Creds: flinks.ToolboxCredentials()})
	var auto, manual string
	for _, it := range r.Items() {
		switch {
		case it.Kind == CheckAutomatic && auto == "":
			auto = it.ID
		case it.Kind == CheckManual && manual == "":
			manual = it.ID
		}
	}
	if auto == "" || manual == "" {
		t.Fatal("the Toolbox checklist has no automatic or no manual item")
	}
	r.Update(ItemResult{Item: Item{ID: auto, Kind: CheckAutomatic}, Status: StatusPassed,
		Evidence: []Evidence{{Method: "POST", URL: "https://example.test/a", HTTPStatus: 200}}})

	c := r.Clone()
	if !reflect.DeepEqual(c, r) {
		t.Fatal("the clone differs from the report")
	}
	// Changing the original, in place as Update and SetManual do, leaves the clone as it was.
	if err := r.SetManual(manual, ManualCheck{Done: true, Note: "ticked after the clone"}); err != nil {
		t.Fatal(err)
	}
	r.find(auto).Evidence[0].URL = "changed"
	r.Sections[0].Title = "changed"
	if it, _ := c.Item(manual); it.Status == StatusDone || it.Note != "" {
		t.Errorf("the clone's manual item changed with the original: %+v", it)
	}
	if it, _ := c.Item(auto); it.Evidence[0].URL != "https://example.test/a" {
		t.Errorf("the clone's evidence changed with the original: %+v", it.Evidence)
	}
	if c.Sections[0].Title == "changed" {
		t.Error("the clone's sections are the original's")
	}
}
